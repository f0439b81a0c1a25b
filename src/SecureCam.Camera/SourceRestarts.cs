using System.Diagnostics.CodeAnalysis;
using Polly;
using Polly.Retry;

namespace SecureCam.Camera;

/// <summary>
/// How a source restarts itself (the sources own restarts; the hub never restarts one): every run
/// that ends without being cancelled is reported and retried for as long as capture is wanted, after a wait that
/// starts at <c>first</c>, doubles with each failure in a row up to <c>cap</c>, and starts over once
/// a run went well. A run is one session: one command process, one opening of a device.
/// </summary>
internal static class SourceRestarts
{
    /// <summary>
    /// A pipeline for one <see cref="IFrameSource.RunAsync"/> call. <paramref name="ranWell"/> says whether a
    /// session's outcome resets the doubling; <paramref name="onRestart"/> hears each restart and its wait.
    /// Exceptions are not retried: a session reports what it can recover from as its result.
    /// </summary>
    public static ResiliencePipeline<T> Create<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] T>(TimeSpan first, TimeSpan cap, TimeProvider time, Func<T, bool> ranWell, Action<T, TimeSpan> onRestart)
    {
        var inARow = 0;
        return new ResiliencePipelineBuilder<T> { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions<T>
            {
                // A camera is retried for as long as it is watched, and a good run starts the doubling over, which
                // Polly's per-execution attempt count cannot do: so no attempt limit, and the delay counts for itself.
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is null && !args.Context.CancellationToken.IsCancellationRequested),
                DelayGenerator = args =>
                {
                    if (ranWell(args.Outcome.Result!))
                    {
                        inARow = 0;
                    }

                    return ValueTask.FromResult<TimeSpan?>(Wait(first, cap, inARow++));
                },
                OnRetry = args =>
                {
                    onRestart(args.Outcome.Result!, args.RetryDelay);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>The wait before restart number <paramref name="inARow"/> + 1 of a failing streak: the first is never cut by the cap.</summary>
    internal static TimeSpan Wait(TimeSpan first, TimeSpan cap, int inARow) =>
        inARow == 0 ? first : TimeSpan.FromTicks((long)Math.Min(cap.Ticks, first.Ticks * Math.Pow(2, Math.Min(inARow, 30))));
}
