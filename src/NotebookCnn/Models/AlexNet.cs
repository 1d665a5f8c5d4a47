namespace NotebookCnn;

public static partial class Models
{
    /// <summary>
    /// AlexNet (Krizhevsky, Sutskever &amp; Hinton 2012, "ImageNet Classification with Deep Convolutional Neural Networks")
    /// as a table of shapes: 3×227×227 → conv 96×11×11 stride 4 → 96×55×55 → max pool 3 stride 2 → 96×27×27 → conv 256×5×5
    /// (padding 2) → pool → 256×13×13 → three 3×3 convolutions (384, 384, 256) → pool → 256×6×6 → 4,096 → 4,096 → classes.
    /// </summary>
    /// <remarks>
    /// The paper says 224×224, but (224 − 11)/4 + 1 is not a whole number; 227 gives the 55×55 it reports, so every
    /// reimplementation uses 227. Left out: local response normalisation (no parameters, later dropped by the field)
    /// and the split over two GPUs, where conv2, conv4 and conv5 saw only the half of the input channels on their
    /// own GPU; with full connections, as here, the count is 62,378,344 parameters (the paper's "60 million").
    /// Too large to train in this course: a table only, like <see cref="Vgg16Architecture"/>.
    /// </remarks>
    /// <param name="classes">Output classes (1,000 for ImageNet).</param>
    public static Architecture AlexNetArchitecture(int classes = 1000) =>
        new Architecture("AlexNet", 3, 227, 227)
            .Convolution(96, 11, stride: 4).Relu().MaxPooling(3, stride: 2)
            .Convolution(256, 5, padding: 2).Relu().MaxPooling(3, stride: 2)
            .Convolution(384, 3, padding: 1).Relu()
            .Convolution(384, 3, padding: 1).Relu()
            .Convolution(256, 3, padding: 1).Relu().MaxPooling(3, stride: 2)
            .Flatten()
            .Affine(4096).Relu().Dropout(0.5f)
            .Affine(4096).Relu().Dropout(0.5f)
            .Affine(classes);
}
