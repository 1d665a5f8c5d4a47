namespace NotebookCnn.Tests.Training;

public class MinibatchSamplerTests
{
    private static Dataset Numbered(int count)
    {
        // Input i holds the value i, so a batch shows which examples it contains.
        var inputs = new Tensor(Enumerable.Range(0, count).Select(i => (float)i).ToArray(), count, 1);
        var labels = Enumerable.Range(0, count).Select(i => i % 3).ToArray();
        return new Dataset(inputs, labels, new[] { "a", "b", "c" });
    }

    [Fact]
    public void Every_example_appears_exactly_once_per_epoch()
    {
        var sampler = new MinibatchSampler(Numbered(10), batchSize: 3, seed: 7);
        Assert.Equal(4, sampler.BatchesPerEpoch);
        var epochs = new List<int[]>();
        for (int epoch = 0; epoch < 3; epoch++)
        {
            var seen = new List<int>();
            var sizes = new List<int>();
            for (int b = 0; b < sampler.BatchesPerEpoch; b++)
            {
                var (inputs, labels) = sampler.Next();
                sizes.Add(inputs.Dim(0));
                for (int i = 0; i < inputs.Dim(0); i++)
                {
                    int k = (int)inputs.Data[i];
                    Assert.Equal(k % 3, labels[i]);   // labels travel with their inputs
                    seen.Add(k);
                }
            }
            Assert.Equal(new[] { 3, 3, 3, 1 }, sizes);
            Assert.Equal(Enumerable.Range(0, 10), seen.Order());
            Assert.Equal(epoch + 1, sampler.Epoch);
            epochs.Add(seen.ToArray());
        }
        Assert.NotEqual(epochs[0], epochs[1]); // a fresh shuffle each epoch
    }

    [Fact]
    public void The_first_epoch_is_shuffled()
    {
        var sampler = new MinibatchSampler(Numbered(50), batchSize: 50, seed: 1);
        var (inputs, _) = sampler.Next();
        Assert.NotEqual(Enumerable.Range(0, 50).Select(i => (float)i), inputs.Data);
    }

    [Fact]
    public void Same_seed_gives_the_same_batches()
    {
        var a = new MinibatchSampler(Numbered(20), 6, seed: 4);
        var b = new MinibatchSampler(Numbered(20), 6, seed: 4);
        for (int i = 0; i < 10; i++)
            Assert.Equal(a.Next().Inputs.Data, b.Next().Inputs.Data);
    }
}
