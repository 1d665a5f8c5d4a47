namespace NotebookCnn.Tests;

public class ToyDataTests
{
    [Fact]
    public void Spiral_has_points_per_class_times_classes_points_in_2_d()
    {
        var spiral = ToyData.Spiral(pointsPerClass: 50, classes: 4, seed: 1);
        Assert.Equal(new[] { 200, 2 }, spiral.Inputs.ShapeArray());
        Assert.All(spiral.CountPerClass(), count => Assert.Equal(50, count));
        Assert.Equal(new[] { "0", "1", "2", "3" }, spiral.ClassNames);
    }

    [Fact]
    public void Spiral_points_lie_within_the_unit_disc_and_each_arm_grows_outwards()
    {
        var spiral = ToyData.Spiral(pointsPerClass: 100, classes: 3, seed: 2);
        for (int n = 0; n < spiral.Count; n++)
        {
            double r = Math.Sqrt(spiral.Inputs[n, 0] * spiral.Inputs[n, 0] + spiral.Inputs[n, 1] * spiral.Inputs[n, 1]);
            // The radius is set exactly (noise only turns the angle): point i of each arm has r = i / 99,
            // up to float32 rounding of the coordinates.
            Assert.Equal((n % 100) / 99.0, r, 1e-6);
        }
    }

    [Fact]
    public void Same_seed_gives_the_same_toy_data_and_another_seed_does_not()
    {
        Assert.Equal(ToyData.Spiral(30, 3, seed: 5).Inputs.Data, ToyData.Spiral(30, 3, seed: 5).Inputs.Data);
        Assert.NotEqual(ToyData.Spiral(30, 3, seed: 5).Inputs.Data, ToyData.Spiral(30, 3, seed: 6).Inputs.Data);
        var a = ToyData.Moons(100, 0.1f, seed: 5);
        var b = ToyData.Moons(100, 0.1f, seed: 5);
        Assert.Equal(a.Inputs.Data, b.Inputs.Data);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(a.Inputs.Data, ToyData.Moons(100, 0.1f, seed: 6).Inputs.Data);
    }

    [Fact]
    public void Moons_without_noise_lie_on_their_two_arcs()
    {
        var moons = ToyData.Moons(count: 101, noise: 0f, seed: 3);
        Assert.Equal(new[] { 50, 51 }, moons.CountPerClass());
        for (int n = 0; n < moons.Count; n++)
        {
            double x = moons.Inputs[n, 0], y = moons.Inputs[n, 1];
            // Upper arc: unit circle around (0, 0), y ≥ 0. Lower arc: unit circle around (1, 0.5), y ≤ 0.5.
            if (moons.Labels[n] == 0)
            {
                Assert.Equal(1.0, x * x + y * y, 5);
                Assert.True(y >= -1e-6);
            }
            else
            {
                Assert.Equal(1.0, (x - 1) * (x - 1) + (y - 0.5) * (y - 0.5), 5);
                Assert.True(y <= 0.5 + 1e-6);
            }
        }
    }

    [Fact]
    public void Moons_are_shuffled_so_the_first_examples_hold_both_classes()
    {
        var moons = ToyData.Moons(count: 200, noise: 0.1f, seed: 4);
        Assert.Equal(2, moons.Labels[..20].Distinct().Count());
    }

    [Fact]
    public void Invalid_arguments_are_rejected_with_the_value()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ToyData.Spiral(0, 3, 1));
        Assert.Contains("got 0", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => ToyData.Moons(10, -1f, 1));
    }
}
