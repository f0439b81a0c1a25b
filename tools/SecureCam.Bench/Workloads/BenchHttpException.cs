namespace SecureCam.Bench.Workloads;

/// <summary>A response the workload cannot count as served (wrong status, not a JPEG, not MJPEG).</summary>
internal sealed class BenchHttpException : Exception
{
    public BenchHttpException(string message)
        : base(message)
    {
    }

    public BenchHttpException()
    {
    }

    public BenchHttpException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
