using System.Text;

namespace NotebookCnn;

/// <summary>
/// A residual block (He et al. 2016, "Deep Residual Learning for Image Recognition"):
/// y = ReLU(F(x) + shortcut(x)), where the body F is any layer (typically conv → BN → ReLU → conv → BN)
/// and the shortcut is the identity or a 1×1 "projection" convolution when the shapes change.
/// </summary>
/// <remarks>
/// Why it helps depth: the sum passes its gradient unchanged to the shortcut, so ∂L/∂x = ∂L/∂y′ · (∂F/∂x + 1)
/// (y′ = the sum). Even when ∂F/∂x is tiny, the "+ 1" carries the gradient to earlier layers, where a plain
/// stack would multiply many small factors together (chapter 10 plots the gradient norms of both).
/// Parameters are the body's then the shortcut's, named <c>{block}.body.…</c> and <c>{block}.shortcut.…</c>.
/// </remarks>
public class Residual : Layer, IStochasticLayer
{
    private readonly Dictionary<Parameter, string> _localNames = []; // "body.conv1.weight": the name inside the block
    private readonly string _bodyName, _shortcutName;              // the parts' own names when the block was made
    private float[]? _mask;                                         // 1 where the sum was > 0 (the final ReLU), else 0
    private int[]? _outputShape;

    /// <summary>Creates a residual block around <paramref name="body"/>.</summary>
    /// <param name="body">F: the layers on the main path; F(x) must have the shortcut's output shape.</param>
    /// <param name="shortcut">The skip path; null means the identity (x itself), which needs F(x) to keep x's shape.</param>
    /// <param name="name">The layer's name; "residual" unless given (a <see cref="Sequential"/> numbers it).</param>
    /// <param name="reluAfterSum">
    /// True (the 2016 paper's block): y = ReLU(F(x) + shortcut(x)). False: y = F(x) + shortcut(x), the
    /// "pre-activation" form of He et al.'s follow-up ("Identity Mappings in Deep Residual Networks"), whose
    /// skip path is a pure identity from block to block.
    /// </param>
    public Residual(Layer body, Layer? shortcut = null, string? name = null, bool reluAfterSum = true)
        : base(name ?? "residual")
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ReferenceEquals(body, shortcut))
            throw new ArgumentException($"Residual '{Name}': the body and the shortcut must be different layers.", nameof(shortcut));
        Body = body;
        Shortcut = shortcut;
        ReluAfterSum = reluAfterSum;
        _bodyName = body.Name;
        _shortcutName = shortcut?.Name ?? "";
        foreach (var p in body.Parameters) _localNames[p] = "body." + WithoutPrefix(p.Name, _bodyName);
        if (shortcut is not null)
            foreach (var p in shortcut.Parameters) _localNames[p] = "shortcut." + WithoutPrefix(p.Name, _shortcutName);
        _ = Parameters; // name the parameters now, so they read {block}.body.… from the start
    }

    /// <summary>
    /// The standard ResNet "basic block": body = conv 3×3 (stride) → BN → ReLU → conv 3×3 → BN, both with
    /// padding 1; the shortcut is the identity when the shape is kept, else a 1×1 convolution with the same
    /// stride (followed by BN), which maps x to the body's channels and size ("projection", option B of the paper).
    /// </summary>
    /// <param name="inChannels">Channels coming in.</param>
    /// <param name="outChannels">Channels going out (often twice <paramref name="inChannels"/> when stride is 2).</param>
    /// <param name="stride">
    /// 1 keeps H×W; 2 halves it. This library's exact output-size rule needs H + 2·1 − 3 divisible by the
    /// stride, so stride 2 works on odd sizes (7×7 → 4×4); on even sizes, halve with <see cref="MaxPooling"/> first.
    /// </param>
    /// <param name="batchNorm">
    /// Whether to put <see cref="BatchNorm"/> after each convolution (as the paper does). The convolutions keep their
    /// biases, but before BatchNorm a bias does nothing (BN subtracts the channel mean) and its gradient is zero.
    /// </param>
    /// <param name="seed">Seed of the initial weights; the convolutions use seed, seed + 1 and seed + 2.</param>
    /// <param name="name">The block's name; "residual" unless given.</param>
    public static Residual Basic(int inChannels, int outChannels, int stride = 1, bool batchNorm = true, int seed = 0, string? name = null)
    {
        var body = new Sequential(
            new Convolution(inChannels, outChannels, 3, stride, padding: 1, seed: seed));
        if (batchNorm) body.Add(new BatchNorm(outChannels));
        body.Add(new Relu());
        body.Add(new Convolution(outChannels, outChannels, 3, 1, padding: 1, seed: seed + 1));
        if (batchNorm) body.Add(new BatchNorm(outChannels));
        body.Name = "body";

        Layer? shortcut = null;
        if (inChannels != outChannels || stride != 1)
        {
            var projection = new Convolution(inChannels, outChannels, 1, stride, seed: seed + 2);
            shortcut = batchNorm ? new Sequential(projection, new BatchNorm(outChannels)) : projection;
            shortcut.Name = "shortcut";
            if (!batchNorm)
                foreach (var p in projection.Parameters) p.Name = "shortcut." + WithoutPrefix(p.Name, "conv");
        }
        return new Residual(body, shortcut, name);
    }

    /// <summary>F, the main path.</summary>
    public Layer Body { get; }

    /// <summary>The skip path, or null for the identity.</summary>
    public Layer? Shortcut { get; }

    /// <summary>Whether a ReLU follows the sum.</summary>
    public bool ReluAfterSum { get; }

    /// <summary>The body's parameters, then the shortcut's, named <c>{block}.body.…</c> and <c>{block}.shortcut.…</c>.</summary>
    public override IReadOnlyList<Parameter> Parameters
    {
        get
        {
            var all = Body.Parameters.Concat(Shortcut?.Parameters ?? []).ToArray();
            // Re-applied on every read: layers such as BatchNorm rename their parameters after their own name.
            foreach (var p in all)
                p.Name = $"{Name}.{(_localNames.TryGetValue(p, out var local) ? local : p.Name)}";
            return all;
        }
    }

    /// <inheritdoc />
    public override IReadOnlyList<(string Name, Tensor Value)> Buffers =>
        Body.Buffers.Select(b => ($"{Name}.body.{WithoutPrefix(b.Name, Body.Name)}", b.Value))
            .Concat((Shortcut?.Buffers ?? []).Select(b => ($"{Name}.shortcut.{WithoutPrefix(b.Name, Shortcut!.Name)}", b.Value)))
            .ToArray();

    /// <summary>y = ReLU(F(x) + shortcut(x)) (without the ReLU when <see cref="ReluAfterSum"/> is false).</summary>
    public override Tensor Forward(Tensor x, bool training)
    {
        ArgumentNullException.ThrowIfNull(x);
        var fx = Body.Forward(x, training);
        var sx = Shortcut?.Forward(x, training) ?? x;
        RequireSameShape(fx.Shape, sx.Shape, x.Shape);
        var y = new Tensor(fx.ShapeArray());
        var mask = _mask = ParallelLoops.Reuse(_mask, y.Length);
        for (int i = 0; i < y.Length; i++)
        {
            float sum = fx.Data[i] + sx.Data[i];
            bool pass = !ReluAfterSum || sum > 0f;
            y.Data[i] = pass ? sum : 0f;
            mask[i] = pass ? 1f : 0f;
        }
        _outputShape = y.ShapeArray();
        return y;
    }

    /// <summary>
    /// With g = dout ⊙ ReLU′(sum): the body and the shortcut both receive g (a sum copies its gradient to
    /// each term), and ∂L/∂x = F.Backward(g) + shortcut.Backward(g), or + g itself for the identity.
    /// </summary>
    public override Tensor Backward(Tensor dout)
    {
        LayerInput.RequireGradient(this, dout, _outputShape);
        var g = dout.ZerosLike();
        ParallelLoops.Multiply(dout.Data, _mask!, g.Data);
        var dx = Body.Backward(g).Clone(); // a copy: the body may return a view of g (e.g. Flatten)
        var dShortcut = Shortcut?.Backward(g) ?? g;
        dx.RequireSameShape(dShortcut, $"Residual '{Name}' Backward");
        for (int i = 0; i < dx.Length; i++) dx.Data[i] += dShortcut.Data[i];
        return dx;
    }

    /// <inheritdoc />
    public override int[] OutputShape(int[] inputShape)
    {
        var bodyShape = Body.OutputShape(inputShape);
        var shortcutShape = Shortcut?.OutputShape(inputShape) ?? (int[])inputShape.Clone();
        RequireSameShape(bodyShape, shortcutShape, inputShape);
        return bodyShape;
    }

    /// <summary>Reseeds random layers (e.g. Dropout) in the body and the shortcut.</summary>
    public void Reseed(int seed)
    {
        (Body as IStochasticLayer)?.Reseed(seed);
        (Shortcut as IStochasticLayer)?.Reseed(seed + 1);
    }

    /// <summary>The block, its body and its shortcut, indented.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder($"Residual {Name}: y = {(ReluAfterSum ? "ReLU(F(x) + shortcut(x))" : "F(x) + shortcut(x)")}");
        sb.AppendLine().Append("  body: ").Append(Body.ToString()?.Replace("\n", "\n  ", StringComparison.Ordinal));
        sb.AppendLine().Append("  shortcut: ").Append(Shortcut is null ? "identity" : Shortcut.ToString()?.Replace("\n", "\n  ", StringComparison.Ordinal));
        return sb.ToString();
    }

    private void RequireSameShape(ReadOnlySpan<int> body, ReadOnlySpan<int> shortcut, ReadOnlySpan<int> input)
    {
        if (body.SequenceEqual(shortcut)) return;
        string hint = Shortcut is null
            ? " The identity shortcut needs a body that keeps the shape; when channels or size change, pass a 1×1 projection "
              + "Convolution as the shortcut (Residual.Basic does this when inChannels ≠ outChannels or stride ≠ 1)."
            : " Give the shortcut the body's output channels and the same stride.";
        throw new ArgumentException(
            $"Residual '{Name}': F(x) + shortcut(x) needs equal shapes, but for input {Tensor.FormatShape(input)} the body gives "
            + $"{Tensor.FormatShape(body)} and the shortcut ({(Shortcut is null ? "identity" : Shortcut.GetType().Name)}) gives {Tensor.FormatShape(shortcut)}." + hint);
    }

    private static string WithoutPrefix(string name, string prefix) =>
        prefix.Length > 0 && name.StartsWith(prefix + ".", StringComparison.Ordinal) ? name[(prefix.Length + 1)..] : name;
}
