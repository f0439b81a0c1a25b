namespace SecureCam.Bench.Commands;

/// <summary>Checks numeric options at start, so a bad value stops the run with one line naming it.</summary>
internal static class PositiveOption
{
    public static int Require(int value, string name, int max = int.MaxValue) =>
        value >= 1 && value <= max ? value : throw new BenchInputException($"{name} {value}: must be between 1 and {max}");

    public static double Require(double value, string name, double max = double.MaxValue) =>
        value > 0 && value <= max ? value : throw new BenchInputException($"{name} {value}: must be above 0 and at most {max}");
}
