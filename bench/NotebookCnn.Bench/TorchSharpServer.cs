using System.Diagnostics;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace NotebookCnn.Bench;

// Inside this namespace, Tensor would mean NotebookCnn.Tensor; here it is libtorch's.
using Tensor = TorchSharp.torch.Tensor;

/// <summary>
/// The TorchSharp peer: the same networks and protocol as peers/pytorch_bench.py, run when the bench is
/// started with <c>--serve-torchsharp THREADS</c> (by <see cref="PeerProcess.StartTorchSharp"/>).
/// </summary>
internal static class TorchSharpServer
{
    public static int Run(int threads)
    {
        torch.set_num_threads(threads);
        var sessions = new Dictionary<string, Session>();
        string? line;
        while ((line = Console.ReadLine()) is not null)
        {
            string[] words = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0) continue;
            if (words[0] == "quit") break;
            object answer;
            try
            {
                answer = words[0] switch
                {
                    "hello" => new Dictionary<string, object>
                    {
                        ["peer"] = "torchsharp",
                        ["version"] = $"TorchSharp {typeof(torch).Assembly.GetName().Version}, libtorch {torch.__version__}",
                        ["threads"] = torch.get_num_threads(),
                    },
                    "train" => new Dictionary<string, object>
                    {
                        ["seconds"] = SessionFor(sessions, words[1]).Train(int.Parse(words[2])),
                        ["images"] = int.Parse(words[2]) * Networks.TrainBatch,
                    },
                    "infer" => new Dictionary<string, object>
                    {
                        ["seconds"] = SessionFor(sessions, words[1]).Infer(int.Parse(words[2])),
                        ["images"] = int.Parse(words[2]) * Networks.InferBatch,
                    },
                    "matmul" => MatMul(int.Parse(words[1]), int.Parse(words[2]), int.Parse(words[3]), int.Parse(words[4])),
                    _ => new Dictionary<string, object> { ["error"] = $"unknown command '{words[0]}'" },
                };
            }
            catch (Exception e) when (e is FormatException or IndexOutOfRangeException or ArgumentException)
            {
                answer = new Dictionary<string, object> { ["error"] = e.Message };
            }
            Console.WriteLine(JsonSerializer.Serialize(answer));
            Console.Out.Flush();
        }
        return 0;
    }

    private static Session SessionFor(Dictionary<string, Session> sessions, string name)
    {
        if (!sessions.TryGetValue(name, out var session)) sessions[name] = session = new Session(name);
        return session;
    }

    private static Dictionary<string, object> MatMul(int m, int n, int k, int iterations)
    {
        using var scope = NewDisposeScope();
        var a = rand(m, k);
        var b = rand(k, n);
        torch.mm(a, b).Dispose();
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations; i++) torch.mm(a, b).Dispose();
        return new() { ["seconds"] = stopwatch.Elapsed.TotalSeconds, ["flops"] = 2.0 * m * n * k * iterations };
    }

    private static Module<Tensor, Tensor> Create(string name) => name switch
    {
        "SimpleConvNet" => Sequential(
            Conv2d(1, 30, 5), ReLU(), MaxPool2d(2), Flatten(),
            Linear(30 * 12 * 12, 100), ReLU(), Linear(100, 10)),
        "MLP" => Sequential(
            Flatten(), Linear(784, 100), ReLU(), Linear(100, 100), ReLU(), Linear(100, 10)),
        "LeNet-5" => Sequential(
            Conv2d(1, 6, 5, padding: 2), ReLU(), MaxPool2d(2),
            Conv2d(6, 16, 5), ReLU(), MaxPool2d(2), Flatten(),
            Linear(16 * 5 * 5, 120), ReLU(), Linear(120, 84), ReLU(), Linear(84, 10)),
        _ => throw new ArgumentException($"unknown network '{name}'"),
    };

    /// <summary>One network with its optimizer and random MNIST-shaped data, kept between commands.</summary>
    private sealed class Session
    {
        private readonly Module<Tensor, Tensor> _model;
        private readonly optim.Optimizer _optimizer;
        private readonly Module<Tensor, Tensor, Tensor> _loss = CrossEntropyLoss();
        private readonly Tensor[] _images = new Tensor[RandomData.DistinctBatches];
        private readonly Tensor[] _labels = new Tensor[RandomData.DistinctBatches];
        private readonly Tensor _testImages;
        private int _step;

        public Session(string name)
        {
            torch.manual_seed(42);
            _model = Create(name);
            _optimizer = optim.Adam(_model.parameters(), lr: 1e-3);
            for (int i = 0; i < _images.Length; i++)
            {
                _images[i] = rand(Networks.TrainBatch, 1, 28, 28);
                _labels[i] = randint(0, 10, [Networks.TrainBatch], dtype: int64);
            }
            _testImages = rand(Networks.InferBatch, 1, 28, 28);
        }

        public double Train(int iterations)
        {
            _model.train();
            var stopwatch = Stopwatch.StartNew();
            for (int i = 0; i < iterations; i++)
            {
                // Frees every intermediate tensor of the step at once, as TorchSharp's guide recommends.
                using var scope = NewDisposeScope();
                int b = _step++ % _images.Length;
                _optimizer.zero_grad();
                var loss = _loss.forward(_model.forward(_images[b]), _labels[b]);
                loss.backward();
                _optimizer.step();
            }
            return stopwatch.Elapsed.TotalSeconds;
        }

        public double Infer(int iterations)
        {
            _model.eval();
            var stopwatch = Stopwatch.StartNew();
            using (no_grad())
                for (int i = 0; i < iterations; i++)
                {
                    using var scope = NewDisposeScope();
                    _model.forward(_testImages);
                }
            return stopwatch.Elapsed.TotalSeconds;
        }
    }
}
