namespace SecureCam.TestSupport;

/// <summary>Polls a condition until it holds or a deadline passes: tests never sleep to synchronise.</summary>
public static class Eventually
{
    public static async Task TrueAsync(
        Func<bool> condition,
        TimeSpan timeout,
        Func<string>? failureMessage = null,
        CancellationToken cancellationToken = default)
    {
        await TrueAsync(() => Task.FromResult(condition()), timeout, failureMessage, cancellationToken).ConfigureAwait(false);
    }

    public static async Task TrueAsync(
        Func<Task<bool>> condition,
        TimeSpan timeout,
        Func<string>? failureMessage = null,
        CancellationToken cancellationToken = default)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition().ConfigureAwait(false))
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(failureMessage?.Invoke() ?? $"Condition not met within {timeout}.");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(25), cancellationToken).ConfigureAwait(false);
        }
    }
}
