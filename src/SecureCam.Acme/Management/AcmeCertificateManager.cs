using Polly;
using Polly.Retry;

namespace SecureCam.Acme;

/// <summary>
/// Keeps one certificate valid (certmagic's maintenance loop): loads it from storage, renews it by
/// <see cref="RenewalPolicy"/> or ARI, retries failures (a Polly retry pipeline on the manager's clock) with capped backoff that
/// fits inside the current certificate's remaining lifetime (<see cref="RetryBackoff"/>) while that certificate keeps serving,
/// and raises <see cref="CertificateChanged"/> for a hot swap. The server runs
/// <see cref="RunAsync"/> in a hosted service and answers challenges through the responder it passed in.
/// </summary>
public sealed class AcmeCertificateManager : IDisposable
{
    private readonly AcmeManagerOptions _options;
    private readonly IChallengeResponder _responder;
    private readonly IAcmeStorage _storage;
    private readonly TimeProvider _time;
    private readonly RenewalPolicy _policy;
    private readonly RetryBackoff _backoff;
    private readonly ResiliencePipeline<bool> _retry;
    private readonly object _gate = new();
    private readonly SemaphoreSlim _renewing = new(1, 1);
    private CancellationTokenSource _wake = new();
    private AcmeClient? _client;
    private AccountKey? _accountKey;
    private AcmeCertificate? _current;
    private AcmeManagerStatus _status;
    private DateTimeOffset? _retryAt;
    private (RenewalWindow Window, DateTimeOffset Chosen)? _ariChoice;
    private DateTimeOffset _ariNextFetch = DateTimeOffset.MinValue;

    public AcmeCertificateManager(
        AcmeManagerOptions options,
        IChallengeResponder responder,
        IAcmeStorage storage,
        TimeProvider? time = null,
        Random? random = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _responder = responder ?? throw new ArgumentNullException(nameof(responder));
        _storage = storage ?? throw new ArgumentNullException(nameof(storage));
        _time = time ?? TimeProvider.System;
        _policy = new RenewalPolicy(random);
        _backoff = new RetryBackoff(options.RetryInitialDelay, options.RetryMaxDelay, random);
        _retry = new ResiliencePipelineBuilder<bool> { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions<bool>
            {
                // A due renewal is retried until it succeeds, each wait the one the failure scheduled (RetryBackoff: inside the
                // served certificate's remaining lifetime, the CA's Retry-After honoured), which Polly's own backoff cannot express.
                MaxRetryAttempts = int.MaxValue,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome is { Exception: null, Result: false } && !args.Context.CancellationToken.IsCancellationRequested),
                DelayGenerator = _ => ValueTask.FromResult<TimeSpan?>(UntilRetry()),
            })
            .Build();
        _status = new AcmeManagerStatus { State = AcmeManagerState.Stopped, Domains = [.. options.Domains] };
    }

    /// <summary>A new certificate is in hand; swap it into the TLS listener.</summary>
    public event EventHandler<AcmeCertificateChangedEventArgs>? CertificateChanged;

    /// <summary>The status changed (renewal started, succeeded, failed, rescheduled).</summary>
    public event EventHandler<AcmeManagerStatus>? StatusChanged;

    /// <summary>The certificate to serve now (leaf with key, plus intermediates), or null before the first one.</summary>
    public AcmeCertificate? Current => Volatile.Read(ref _current);

    public AcmeManagerStatus Status => Volatile.Read(ref _status);

    /// <summary>
    /// Loads the stored certificate, if any, so the listener can serve it before the loop starts.
    /// Returns it (also as <see cref="Current"/>).
    /// </summary>
    public AcmeCertificate? LoadStored()
    {
        var stored = _storage.LoadCertificate(_options.EffectiveCertificateName);
        if (stored is not null && stored.NotAfter > _time.GetUtcNow() && Current is null)
        {
            SetCurrent(stored);
        }

        return Current;
    }

    /// <summary>Wakes the loop to look at the renewal time now (e.g. after a settings change).</summary>
    public void RequestCheck()
    {
        lock (_gate)
        {
            _retryAt = null;
            _wake.Cancel();
        }
    }

    /// <summary>The maintenance loop; returns when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Current is null)
        {
            LoadStored();
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            DateTimeOffset due;
            string basis;
            try
            {
                (due, basis) = await RenewalDueAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return; // stopped while asking the CA for its renewal window.
            }

            var now = _time.GetUtcNow();
            var next = _retryAt is { } retry && retry > due ? retry : due;
            if (next > now)
            {
                Publish(s => s with
                {
                    State = s.ConsecutiveFailures > 0 ? AcmeManagerState.Failing : AcmeManagerState.Valid,
                    RenewalDue = due,
                    RenewalBasis = basis,
                    NextAttempt = next,
                });
                var wait = next - now < _options.CheckInterval ? next - now : _options.CheckInterval;
                await WaitAsync(WholeMilliseconds(wait), cancellationToken).ConfigureAwait(false);
                continue;
            }

            await RenewUntilDoneAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// One issuance attempt now, outside the schedule; the result is applied as the loop would
    /// (stored, swapped, status). Returns true on success.
    /// </summary>
    public async Task<bool> RenewOnceAsync(CancellationToken cancellationToken)
    {
        // One attempt at a time: RunAsync and a caller (an admin's "renew now") may meet here.
        await _renewing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return await RenewLockedAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void Dispose()
    {
        DropClient();
        _accountKey?.Dispose();
        _wake.Dispose();
        _renewing.Dispose();
    }

    private async Task<bool> RenewLockedAsync(CancellationToken cancellationToken)
    {
        Publish(s => s with { State = AcmeManagerState.Renewing, NextAttempt = null });
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(_options.AttemptTimeout);
        try
        {
            var issued = await IssueAsync(attempt.Token).ConfigureAwait(false);
            _storage.SaveCertificate(_options.EffectiveCertificateName, issued);
            _retryAt = null;
            _ariChoice = null;
            _ariNextFetch = DateTimeOffset.MinValue;
            SetCurrent(issued);
            Publish(s => s with { State = AcmeManagerState.Valid, LastRenewal = _time.GetUtcNow(), LastError = null, ConsecutiveFailures = 0 });
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // Everything but being stopped counts as a failed attempt, even an unexpected error: the
            // loop must outlive it, keep the current certificate and try again later.
            // A broken client (stale directory, nonces) is rebuilt for the next attempt.
            DropClient();
            var failures = Status.ConsecutiveFailures + 1;
            var now = _time.GetUtcNow();
            var retryAfter = (e as AcmeProblemException)?.RetryAfter;
            _retryAt = now + _backoff.Delay(failures, now, Current?.NotAfter, retryAfter);
            var message = e is OperationCanceledException
                ? $"issuance did not finish within {_options.AttemptTimeout.TotalMinutes:0} minutes"
                : e.Message;
            Publish(s => s with
            {
                State = AcmeManagerState.Failing,
                LastError = message,
                LastErrorAt = now,
                ConsecutiveFailures = failures,
                NextAttempt = _retryAt,
            });
            return false;
        }
    }

    private async Task<AcmeCertificate> IssueAsync(CancellationToken cancellationToken)
    {
        var client = await GetClientAsync(cancellationToken).ConfigureAwait(false);
        var directory = _options.Client.DirectoryUri!;
        var key = _accountKey ??= _storage.LoadOrCreateAccountKey(directory);

        AcmeAccount account;
        try
        {
            account = await client.FindAccountAsync(key, cancellationToken).ConfigureAwait(false);
        }
        catch (AcmeProblemException e) when (e.ProblemType == "accountDoesNotExist")
        {
            // First run, or the CA forgot the account (a test CA restarted): register this key. The
            // EAB credentials are only spent here, not on every renewal.
            account = await client.NewAccountAsync(key, _options.Emails, _options.AcceptTermsOfService, cancellationToken, _options.ExternalAccountBinding)
                .ConfigureAwait(false);
            _storage.SaveAccount(directory, account);
        }

        var replaces = Current is { } current && client.Directory.RenewalInfo is not null ? TryAriId(current) : null;
        var issuer = new AcmeIssuer(client, _responder);
        return await issuer.IssueAsync(account, [.. _options.Domains], cancellationToken, replaces, _options.Profile).ConfigureAwait(false);
    }

    private async Task<(DateTimeOffset Due, string Basis)> RenewalDueAsync(CancellationToken cancellationToken)
    {
        var current = Current;
        if (current is null)
        {
            return (_time.GetUtcNow(), "no certificate");
        }

        if (!current.Covers(_options.Domains))
        {
            return (_time.GetUtcNow(), "domains changed");
        }

        var window = await RenewalWindowAsync(current, cancellationToken).ConfigureAwait(false);
        if (window is null)
        {
            return (RenewalPolicy.ByLifetime(current.NotBefore, current.NotAfter), "lifetime");
        }

        // One random moment per window, not a new one every check (that would drift to the start).
        if (_ariChoice is not { } choice || choice.Window != window)
        {
            choice = (window, _policy.RenewalTime(current.NotBefore, current.NotAfter, window));
            _ariChoice = choice;
        }

        return (choice.Chosen, "ari");
    }

    private async Task<RenewalWindow?> RenewalWindowAsync(AcmeCertificate current, CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        if (now < _ariNextFetch)
        {
            return _ariChoice?.Window;
        }

        try
        {
            var client = await GetClientAsync(cancellationToken).ConfigureAwait(false);
            var info = await client.GetRenewalInfoAsync(current.Certificate, cancellationToken).ConfigureAwait(false);
            _ariNextFetch = now + (info?.RetryAfter ?? TimeSpan.FromHours(6));
            return info?.SuggestedWindow;
        }
        catch (AcmeException)
        {
            // ARI is advice: when it cannot be had, the lifetime rule decides; try again within the hour.
            DropClient();
            _ariNextFetch = now + TimeSpan.FromHours(1);
            return _ariChoice?.Window;
        }
    }

    private async Task<AcmeClient> GetClientAsync(CancellationToken cancellationToken)
    {
        if (_client is { } client)
        {
            return client;
        }

        client = await AcmeClient.CreateAsync(_options.Client, cancellationToken, _time).ConfigureAwait(false);
        _client = client;
        return client;
    }

    private void DropClient()
    {
        _client?.Dispose();
        _client = null;
    }

    private static string? TryAriId(AcmeCertificate current)
    {
        try
        {
            return AriCertificateId.For(current.Certificate);
        }
        catch (AcmeException)
        {
            return null;
        }
    }

    /// <summary>
    /// Renews now and retries failures until a certificate is issued, renewal is no longer due (an admin's "renew
    /// now" got there first), <see cref="RequestCheck"/> wakes the loop, or the loop stops.
    /// </summary>
    private async Task RenewUntilDoneAsync(CancellationToken cancellationToken)
    {
        using var wakeable = LinkWake(cancellationToken);
        try
        {
            // Each try gets the stop token alone: a RequestCheck cuts the wait before a retry, never an issuance.
            await _retry.ExecuteAsync(async _ => await RenewIfStillDueAsync(cancellationToken).ConfigureAwait(false), wakeable.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Woken (the loop looks again at once) or stopping (the loop condition ends RunAsync).
        }
    }

    private async Task<bool> RenewIfStillDueAsync(CancellationToken cancellationToken)
    {
        var (due, _) = await RenewalDueAsync(cancellationToken).ConfigureAwait(false);
        return due > _time.GetUtcNow() || await RenewOnceAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The wait the last failure scheduled (<see cref="RetryBackoff"/>), from now; none when a check cleared it.</summary>
    private TimeSpan UntilRetry()
    {
        var left = _retryAt is { } at ? at - _time.GetUtcNow() : TimeSpan.Zero;
        return left > TimeSpan.Zero ? WholeMilliseconds(left) : TimeSpan.Zero;
    }

    // Whole milliseconds, rounded up: timers count milliseconds, and a remainder below one
    // would fire at once and spin the loop until the clock passes the planned moment.
    private static TimeSpan WholeMilliseconds(TimeSpan wait) => TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds));

    /// <summary>The stop token joined with the one <see cref="RequestCheck"/> cancels.</summary>
    private CancellationTokenSource LinkWake(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_wake.IsCancellationRequested)
            {
                _wake.Dispose();
                _wake = new CancellationTokenSource();
            }

            return CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _wake.Token);
        }
    }

    private async Task WaitAsync(TimeSpan wait, CancellationToken cancellationToken)
    {
        using var linked = LinkWake(cancellationToken);
        try
        {
            await Task.Delay(wait, _time, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // Woken by RequestCheck.
        }
        catch (OperationCanceledException)
        {
            // Stopping: the loop condition ends RunAsync.
        }
    }

    private void SetCurrent(AcmeCertificate certificate)
    {
        var previous = Interlocked.Exchange(ref _current, certificate);
        Publish(s => s with { CertificateSerial = certificate.SerialNumber, CertificateNotAfter = certificate.NotAfter });
        CertificateChanged?.Invoke(this, new AcmeCertificateChangedEventArgs(certificate, previous));
    }

    private void Publish(Func<AcmeManagerStatus, AcmeManagerStatus> change)
    {
        AcmeManagerStatus updated;
        lock (_gate)
        {
            updated = change(_status);
            Volatile.Write(ref _status, updated);
        }

        StatusChanged?.Invoke(this, updated);
    }
}
