namespace NotebookCnn.Tests.Training;

public class EvaluationTests
{
    [Fact]
    public void Loss_in_batches_equals_the_loss_of_one_big_batch()
    {
        var data = TestData.TwoClouds(25, seed: 3);
        var model = new TestLinear("l", 2, 2, seed: 4, std: 1f);
        var loss = new TestSoftmaxCrossEntropy();
        var (whole, accuracyWhole) = Evaluation.Evaluate(model, loss, data, batchSize: 100);
        var (batched, accuracyBatched) = Evaluation.Evaluate(model, loss, data, batchSize: 4); // last batch has 1
        Assert.Equal(whole, batched, 5);
        Assert.Equal(accuracyWhole, accuracyBatched);
    }

    [Fact]
    public void Evaluation_limit_uses_only_the_first_examples()
    {
        var data = TestData.TwoClouds(20, seed: 3);
        var model = new TestLinear("l", 2, 2, seed: 4, std: 1f);
        var loss = new TestSoftmaxCrossEntropy();
        Assert.Equal(Evaluation.Evaluate(model, loss, data.Take(6)), Evaluation.Evaluate(model, loss, data, limit: 6));
    }

    [Fact]
    public void Predictions_accuracy_and_confusion_matrix_agree()
    {
        var data = TestData.TwoClouds(30, seed: 3);
        var model = new TestLinear("l", 2, 2, seed: 4, std: 1f);
        int[] predicted = Evaluation.Predict(model, data.Inputs, batchSize: 7);
        var matrix = Evaluation.ConfusionMatrix(model, data, batchSize: 7);
        Assert.Equal(30, matrix.Cast<int>().Sum());
        Assert.Equal((matrix[0, 0] + matrix[1, 1]) / 30f, Evaluation.Accuracy(model, data));
        Assert.Equal(predicted.Count(p => p == 1), matrix[0, 1] + matrix[1, 1]);
    }

    [Fact]
    public void Outputs_in_batches_equal_one_forward_pass()
    {
        var data = TestData.TwoClouds(11, seed: 3);
        var model = new TestLinear("l", 2, 3, seed: 4, std: 1f);
        var expected = model.Forward(data.Inputs, training: false).Data.ToArray();
        Assert.Equal(expected, Evaluation.Outputs(model, data.Inputs, batchSize: 4).Data);
    }
}
