namespace NotebookCnn.Tests.Training;

/// <summary>The trainer with the real layers, loss and optimizers on the bundled digits.</summary>
public class RealNetworkTrainingTests
{
    private static readonly TrainTestSplit Digits = Mnist.LoadBundled();

    private static Sequential TwoLayerNet(int seed) => new(
        new Affine(784, 50, seed: seed), new Relu(), new Affine(50, 10, seed: seed + 1));

    [Fact]
    public void A_two_layer_net_learns_bundled_MNIST_digits_with_SGD()
    {
        var train = Digits.Train.Take(2000);
        var test = Digits.Test.Take(500);
        var trainer = new Trainer(TwoLayerNet(1), new SoftmaxCrossEntropy(), new Sgd(learningRate: 0.1f), batchSize: 100, seed: 42);

        var history = trainer.Fit(train, epochs: 3, validation: test, showProgress: false);

        // 2,000 digits and 60 minibatch steps: a 784-50-10 net is well past 80 % (a guess would be 10 %).
        Assert.True(history.ValidationAccuracy[^1] >= 0.80, history.ToString());
        Assert.True(history.TrainLoss[^1] < history.TrainLoss[0], history.ToString());
    }

    [Fact]
    public void The_same_seed_gives_bit_identical_histories_with_real_layers_and_Adam()
    {
        TrainingHistory Run()
        {
            var net = new Sequential(
                new Convolution(1, 4, 5, seed: 3), new Relu(), new MaxPooling(2, 2), new Flatten(),
                new Affine(4 * 12 * 12, 10, seed: 4));
            var trainer = new Trainer(net, new SoftmaxCrossEntropy(), new Adam(learningRate: 1e-3f), batchSize: 50, seed: 7);
            return trainer.Fit(Digits.Train.Take(300), epochs: 2, showProgress: false);
        }
        var a = Run();
        var b = Run();
        Assert.Equal(a.IterationLoss, b.IterationLoss);
        Assert.Equal(a.TrainAccuracy, b.TrainAccuracy);
    }

    [Fact]
    public void Early_stopping_restores_the_best_weights_of_a_real_network()
    {
        var net = TwoLayerNet(5);
        // A learning rate far too high makes validation loss jump around, so a "best" epoch exists before the end.
        var trainer = new Trainer(net, new SoftmaxCrossEntropy(), new Sgd(learningRate: 2f), batchSize: 100, seed: 1);
        var validation = Digits.Test.Take(300);
        var history = trainer.Fit(Digits.Train.Take(500), epochs: 8, validation: validation,
            earlyStopping: new EarlyStopping(patience: 2), showProgress: false);

        var (loss, _) = Evaluation.Evaluate(net, new SoftmaxCrossEntropy(), validation, batchSize: 100);
        Assert.NotNull(history.BestEpoch);
        Assert.True(history.BestEpoch < history.Epochs, "the test needs a best epoch before the last one\n" + history);
        int best = history.BestEpoch.Value - 1;
        Assert.Equal(history.ValidationLoss[best], loss, 4);
    }
}
