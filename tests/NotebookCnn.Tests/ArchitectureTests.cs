namespace NotebookCnn.Tests;

/// <summary>Architecture tables (shapes and parameter counts without weights) and the networks they build.</summary>
public class ArchitectureTests
{
    [Fact]
    public void LeNet5_on_28x28_has_the_classic_shapes()
    {
        var lenet = Models.LeNet5Architecture();
        int[][] expected = [[6, 28, 28], [6, 28, 28], [6, 14, 14], [16, 10, 10], [16, 10, 10], [16, 5, 5],
            [400], [120], [120], [84], [84], [10]];
        Assert.Equal(expected, lenet.Layers.Select(l => l.OutputShape));
        Assert.Equal(["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten1", "affine1", "relu3", "affine2", "relu4", "affine3"],
            lenet.Layers.Select(l => l.Name));
    }

    [Fact]
    public void LeNet5_has_61706_parameters()
    {
        // conv1: 6·1·5·5 + 6 = 156; conv2: 16·6·5·5 + 16 = 2,416; 400→120: 48,120; 120→84: 10,164; 84→10: 850.
        // Padding 2 changes the shapes, not the count: a kernel has as many weights whatever it slides over.
        // (The 1998 paper's C3 connected each map to only some input maps, giving 60,840 trainable parameters there.)
        var lenet = Models.LeNet5Architecture();
        Assert.Equal(61_706, lenet.ParameterCount);
        Assert.Equal([156L, 0, 0, 2_416, 0, 0, 0, 48_120, 0, 10_164, 0, 850], lenet.Layers.Select(l => l.Parameters));
        Assert.Equal(61_706, Models.LeNet5().ParameterCount);
    }

    [Fact]
    public void LeNet5_built_network_has_the_table_shapes_names_and_a_forward_pass()
    {
        var lenet = Models.LeNet5Architecture();
        var net = lenet.Build(seed: 1);
        int[] shape = [2, 1, 28, 28];
        for (int i = 0; i < net.Layers.Count; i++)
        {
            shape = net[i].OutputShape(shape);
            Assert.Equal(lenet.Layers[i].OutputShape, shape[1..]);
            Assert.Equal(lenet.Layers[i].Name, net[i].Name);
            Assert.Equal(lenet.Layers[i].Parameters, net[i].ParameterCount);
        }
        Assert.Equal("conv1.weight", net.Parameters[0].Name);
        var y = net.Forward(Tensor.RandomNormal(1f, Rng.Create(2), 2, 1, 28, 28), training: false);
        Assert.Equal(new[] { 2, 10 }, y.ShapeArray());
        Assert.All(y.Data, v => Assert.True(float.IsFinite(v)));
    }

    [Fact]
    public void LeNet5_activation_and_pooling_can_be_chosen()
    {
        var net = Models.LeNet5(activation: () => new Tanh(), pooling: () => new AveragePooling(2), initializer: Initializer.Xavier);
        Assert.IsType<Tanh>(net["tanh1"]);
        Assert.IsType<AveragePooling>(net["pool2"]);
        Assert.Equal(61_706, net.ParameterCount);
    }

    [Fact]
    public void Vgg16_has_138357544_parameters_of_which_the_first_fully_connected_layer_holds_102764544()
    {
        var vgg = Models.Vgg16Architecture();
        Assert.Equal(138_357_544, vgg.ParameterCount);
        var fc6 = vgg["affine1"];
        Assert.Equal("25088→4096", fc6.Details); // 512·7·7 = 25,088 inputs
        Assert.Equal(102_764_544, fc6.Parameters);
        Assert.Equal(102_764_544, vgg.Layers.Max(l => l.Parameters));
        Assert.Equal(13, vgg.Layers.Count(l => l.Type == "Convolution"));
        Assert.Equal(3, vgg.Layers.Count(l => l.Type == "Affine"));
        Assert.Equal(new[] { 512, 7, 7 }, vgg["pool5"].OutputShape);
        Assert.Equal(new[] { 64, 224, 224 }, vgg["conv1"].OutputShape);
        Assert.Equal(1_792, vgg["conv1"].Parameters); // 64·3·3·3 + 64
        Assert.Equal(new[] { 1000 }, vgg.OutputShape);
    }

    [Fact]
    public void Vgg16_table_prints_every_layer_and_the_total()
    {
        string table = Models.Vgg16Architecture().ToString();
        Assert.Contains("VGG-16, input [3, 224, 224]", table);
        Assert.Contains("[N, 512, 7, 7]", table);
        Assert.Contains("102,764,544", table);
        Assert.Contains("Total parameters: 138,357,544 (553 MB as float32)", table);
    }

    [Fact]
    public void AlexNet_has_its_published_shapes_and_62378344_parameters()
    {
        var alexnet = Models.AlexNetArchitecture();
        Assert.Equal(new[] { 96, 55, 55 }, alexnet["conv1"].OutputShape);   // (227 − 11)/4 + 1 = 55
        Assert.Equal(new[] { 96, 27, 27 }, alexnet["pool1"].OutputShape);   // (55 − 3)/2 + 1 = 27
        Assert.Equal(new[] { 256, 27, 27 }, alexnet["conv2"].OutputShape);
        Assert.Equal(new[] { 256, 13, 13 }, alexnet["pool2"].OutputShape);
        Assert.Equal(new[] { 384, 13, 13 }, alexnet["conv3"].OutputShape);
        Assert.Equal(new[] { 384, 13, 13 }, alexnet["conv4"].OutputShape);
        Assert.Equal(new[] { 256, 13, 13 }, alexnet["conv5"].OutputShape);
        Assert.Equal(new[] { 256, 6, 6 }, alexnet["pool3"].OutputShape);
        Assert.Equal(new[] { 9216 }, alexnet["flatten1"].OutputShape);
        Assert.Equal(new[] { 4096 }, alexnet["affine1"].OutputShape);
        Assert.Equal(new[] { 1000 }, alexnet.OutputShape);
        // 34,944 + 614,656 + 885,120 + 1,327,488 + 884,992 + 37,752,832 + 16,781,312 + 4,097,000
        Assert.Equal(62_378_344, alexnet.ParameterCount);
    }

    [Fact]
    public void Small_vgg_doubles_channels_as_the_size_halves_and_builds_what_its_table_says()
    {
        var table = Models.VggArchitecture();
        Assert.Equal(new[] { 16, 28, 28 }, table["conv2"].OutputShape);
        Assert.Equal(new[] { 16, 14, 14 }, table["pool1"].OutputShape);
        Assert.Equal(new[] { 32, 14, 14 }, table["conv3"].OutputShape);
        Assert.Equal(new[] { 32, 7, 7 }, table["pool2"].OutputShape);
        Assert.All(table.Layers.Where(l => l.Type == "Convolution"), l => Assert.Contains("3×3, stride 1, padding 1", l.Details));

        var net = Models.Vgg(seed: 3);
        Assert.Equal(table.ParameterCount, net.ParameterCount);
        var y = net.Forward(Tensor.RandomNormal(1f, Rng.Create(4), 2, 1, 28, 28), training: false);
        Assert.Equal(new[] { 2, 10 }, y.ShapeArray());
    }

    [Fact]
    public void Small_vgg_with_batchnorm_puts_one_after_each_convolution()
    {
        var table = Models.VggArchitecture(batchNorm: true);
        Assert.Equal(4, table.Layers.Count(l => l.Type == "BatchNorm"));
        Assert.Equal(2 * 16, table["batchnorm1"].Parameters);
        Assert.Equal(table.ParameterCount, Models.Vgg(batchNorm: true).ParameterCount);
    }

    [Fact]
    public void Built_layers_of_the_same_size_start_with_different_weights()
    {
        var net = Models.Vgg(seed: 5);
        var conv3 = (Convolution)net["conv3"];
        var conv4 = (Convolution)net["conv4"];
        Assert.Equal(32, conv3.Filters);
        Assert.NotEqual(((Convolution)net["conv2"]).Weight.Value.Data[..10], ((Convolution)net["conv1"]).Weight.Value.Data[..10]);
        Assert.NotEqual(conv4.Weight.Value.Data[..10], ((Convolution)net["conv2"]).Weight.Value.Data[..10]);
    }

    [Fact]
    public void Architecture_names_the_layer_when_the_output_size_is_not_a_whole_number()
    {
        var e = Assert.Throws<ArgumentException>(() => new Architecture("odd", 3, 224, 224).Convolution(96, 11, stride: 4));
        Assert.Contains("Architecture 'odd', layer conv1", e.Message);
        Assert.Contains("not a whole number", e.Message);
    }

    [Fact]
    public void Architecture_convolution_after_flatten_explains_it_needs_an_image()
    {
        var e = Assert.Throws<ArgumentException>(() => new Architecture("mlp", 1, 28, 28).Flatten().Convolution(8, 3));
        Assert.Contains("needs an image [C, H, W]", e.Message);
        Assert.Contains("[784]", e.Message);
    }
}
