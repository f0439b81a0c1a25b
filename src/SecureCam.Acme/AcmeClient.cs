using System.Buffers.Text;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace SecureCam.Acme;

/// <summary>
/// An RFC 8555 client for one ACME server: accounts, orders, authorizations, challenges, finalization,
/// certificate download, revocation, and ARI (RFC 9773). Each method is one protocol step; the whole
/// issuance flow is <see cref="AcmeIssuer"/>. Thread-safe.
/// </summary>
public sealed class AcmeClient : IDisposable
{
    private const string PemChain = "application/pem-certificate-chain";
    private readonly AcmeTransport _transport;
    private readonly AcmeClientOptions _options;
    private readonly TimeProvider _time;

    private AcmeClient(AcmeClientOptions options, TimeProvider time, AcmeTransport transport, AcmeDirectory directory)
    {
        _options = options;
        _time = time;
        _transport = transport;
        Directory = directory;
    }

    public AcmeDirectory Directory { get; }

    public AcmeClientOptions Options => _options;

    /// <summary>Validates the options and reads the directory.</summary>
    public static async Task<AcmeClient> CreateAsync(AcmeClientOptions options, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        time ??= TimeProvider.System;
        var transport = new AcmeTransport(options, time);
        try
        {
            var response = await transport.GetAsync(options.DirectoryUri!, cancellationToken).ConfigureAwait(false);
            var directory = Read(response, "directory", AcmeJson.Default.AcmeDirectory);
            transport.Directory = directory;
            return new AcmeClient(options, time, transport, directory);
        }
        catch
        {
            transport.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Creates an account, or finds the one this key already controls (the server answers 200 then).
    /// Throws <see cref="AcmeTermsNotAcceptedException"/> before sending anything when the CA has terms
    /// and <paramref name="termsOfServiceAgreed"/> is false.
    /// </summary>
    public async Task<AcmeAccount> NewAccountAsync(
        AccountKey key,
        IEnumerable<string> contactEmails,
        bool termsOfServiceAgreed,
        CancellationToken cancellationToken,
        ExternalAccountBindingKey? externalAccountBinding = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (Directory.Meta?.TermsOfService is { } terms && !termsOfServiceAgreed)
        {
            throw new AcmeTermsNotAcceptedException(terms);
        }

        if (Directory.Meta?.ExternalAccountRequired == true && externalAccountBinding is null)
        {
            throw new AcmeException("this ACME server requires an external account binding (a key id and MAC key from the CA)");
        }

        var payload = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["contact"] = contactEmails.Select(e => e.StartsWith("mailto:", StringComparison.Ordinal) ? e : "mailto:" + e).ToArray(),
            ["termsOfServiceAgreed"] = termsOfServiceAgreed,
        };
        if (externalAccountBinding is not null)
        {
            payload["externalAccountBinding"] = JwsSigner.ExternalAccountBinding(
                key, externalAccountBinding.KeyId, externalAccountBinding.MacKey, Directory.NewAccount);
        }

        var response = await _transport.PostAsync(Directory.NewAccount, key, accountUrl: null, payload, cancellationToken).ConfigureAwait(false);
        return ToAccount(response, key);
    }

    /// <summary>
    /// Finds the account this key controls without creating one (onlyReturnExisting). Throws
    /// <see cref="AcmeProblemException"/> with type "accountDoesNotExist" when there is none.
    /// </summary>
    public async Task<AcmeAccount> FindAccountAsync(AccountKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        var payload = new Dictionary<string, object> { ["onlyReturnExisting"] = true };
        var response = await _transport.PostAsync(Directory.NewAccount, key, accountUrl: null, payload, cancellationToken).ConfigureAwait(false);
        return ToAccount(response, key);
    }

    /// <summary>Reads the account object again (POST-as-GET).</summary>
    public async Task<AcmeAccount> GetAccountAsync(AcmeAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var response = await PostAsGetAsync(account, account.Location, cancellationToken).ConfigureAwait(false);
        return account with { Resource = Read(response, "account", AcmeJson.Default.AcmeAccountResource) };
    }

    /// <summary>
    /// Rolls the account over to <paramref name="newKey"/> (RFC 8555 §7.3.5). The returned account uses the
    /// new key; the old key no longer controls it.
    /// </summary>
    public async Task<AcmeAccount> ChangeAccountKeyAsync(AcmeAccount account, AccountKey newKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(newKey);
        var keyChange = Directory.KeyChange ?? throw new AcmeException("this ACME server does not offer key rollover (no keyChange in its directory)");
        var inner = JwsSigner.KeyChangeInner(account.Key, newKey, account.Location, keyChange);
        await _transport.PostAsync(keyChange, account.Key, account.Location, inner, cancellationToken).ConfigureAwait(false);
        return account with { Key = newKey, Created = false };
    }

    /// <summary>Deactivates the account for good (RFC 8555 §7.3.6); the CA refuses it from then on.</summary>
    public async Task<AcmeAccount> DeactivateAccountAsync(AcmeAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var payload = new Dictionary<string, object> { ["status"] = AcmeStatus.Deactivated };
        var response = await _transport.PostAsync(account.Location, account.Key, account.Location, payload, cancellationToken).ConfigureAwait(false);
        return account with { Resource = Read(response, "account", AcmeJson.Default.AcmeAccountResource) };
    }

    /// <summary>
    /// Places an order. <paramref name="replaces"/> is the ARI certID of the certificate this order
    /// renews; it is only sent when the directory offers renewalInfo. <paramref name="profile"/> names one
    /// of the directory's profiles (<see cref="CheckProfile"/> runs first, so nothing is sent for one it lacks).
    /// </summary>
    public async Task<AcmeOrder> NewOrderAsync(
        AcmeAccount account,
        IEnumerable<AcmeIdentifier> identifiers,
        CancellationToken cancellationToken,
        string? replaces = null,
        string? profile = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        var payload = new Dictionary<string, object>(StringComparer.Ordinal) { ["identifiers"] = identifiers.ToArray() };
        if (replaces is not null && Directory.RenewalInfo is not null)
        {
            payload["replaces"] = replaces;
        }

        if (profile is not null)
        {
            CheckProfile(profile);
            payload["profile"] = profile;
        }

        var response = await _transport.PostAsync(Directory.NewOrder, account.Key, account.Location, payload, cancellationToken).ConfigureAwait(false);
        var location = response.Location ?? throw new AcmeException("ACME server created an order without a Location");
        return Read(response, "order", AcmeJson.Default.AcmeOrder) with { Location = location };
    }

    /// <summary>
    /// Throws <see cref="AcmeProfileNotOfferedException"/> unless the directory advertises
    /// <paramref name="profile"/> (draft-ietf-acme-profiles §3: an order for an unknown profile is refused).
    /// </summary>
    public void CheckProfile(string profile)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(profile);
        var offered = Directory.Meta?.Profiles;
        if (offered is null || !offered.ContainsKey(profile))
        {
            throw new AcmeProfileNotOfferedException(_options.DirectoryUri!, profile, offered?.Keys.Order(StringComparer.Ordinal).ToList() ?? []);
        }
    }

    public async Task<AcmeOrder> GetOrderAsync(AcmeAccount account, Uri orderUrl, CancellationToken cancellationToken)
    {
        var response = await PostAsGetAsync(account, orderUrl, cancellationToken).ConfigureAwait(false);
        return Read(response, "order", AcmeJson.Default.AcmeOrder) with { Location = orderUrl };
    }

    public async Task<AcmeAuthorization> GetAuthorizationAsync(AcmeAccount account, Uri authorizationUrl, CancellationToken cancellationToken)
    {
        var response = await PostAsGetAsync(account, authorizationUrl, cancellationToken).ConfigureAwait(false);
        return Read(response, "authorization", AcmeJson.Default.AcmeAuthorization) with { Location = authorizationUrl };
    }

    /// <summary>Tells the CA the challenge is ready to be validated (POST with payload {}).</summary>
    public async Task<AcmeChallenge> AnswerChallengeAsync(AcmeAccount account, AcmeChallenge challenge, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(challenge);
        var response = await _transport.PostAsync(challenge.Url, account.Key, account.Location, new Dictionary<string, object>(), cancellationToken).ConfigureAwait(false);
        return Read(response, "challenge", AcmeJson.Default.AcmeChallenge);
    }

    /// <summary>
    /// Polls an authorization until it is no longer pending, honouring Retry-After (bounded by
    /// <see cref="AcmeClientOptions.MaxRetryAfter"/>) and giving up after <see cref="AcmeClientOptions.PollTimeout"/>.
    /// </summary>
    public Task<AcmeAuthorization> WaitForAuthorizationAsync(AcmeAccount account, Uri authorizationUrl, CancellationToken cancellationToken) =>
        PollAsync(
            account,
            authorizationUrl,
            response => Read(response, "authorization", AcmeJson.Default.AcmeAuthorization) with { Location = authorizationUrl },
            a => a.Status != AcmeStatus.Pending,
            "authorization",
            cancellationToken);

    /// <summary>Polls an order until it is neither pending nor processing.</summary>
    public Task<AcmeOrder> WaitForOrderAsync(AcmeAccount account, Uri orderUrl, CancellationToken cancellationToken) =>
        PollAsync(
            account,
            orderUrl,
            response => Read(response, "order", AcmeJson.Default.AcmeOrder) with { Location = orderUrl },
            o => o.Status is not (AcmeStatus.Pending or AcmeStatus.Processing),
            "order",
            cancellationToken);

    /// <summary>Sends the CSR (DER) to the order's finalize URL.</summary>
    public async Task<AcmeOrder> FinalizeAsync(AcmeAccount account, AcmeOrder order, byte[] csrDer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(order);
        var payload = new Dictionary<string, object> { ["csr"] = Base64Url.EncodeToString(csrDer) };
        var response = await _transport.PostAsync(order.Finalize, account.Key, account.Location, payload, cancellationToken).ConfigureAwait(false);
        return Read(response, "order", AcmeJson.Default.AcmeOrder) with { Location = order.Location };
    }

    /// <summary>Downloads the certificate chain as PEM: the leaf first, then the intermediates.</summary>
    public async Task<string> DownloadCertificateAsync(AcmeAccount account, Uri certificateUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        var response = await _transport.PostAsync(certificateUrl, account.Key, account.Location, payload: null, cancellationToken, accept: PemChain).ConfigureAwait(false);
        var pem = Encoding.ASCII.GetString(response.Body);
        if (!pem.Contains("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
        {
            throw new AcmeException($"ACME server sent no PEM certificate chain from {certificateUrl} ({response.ContentType})");
        }

        return pem;
    }

    /// <summary>Revokes a certificate this account ordered (RFC 8555 §7.6). Reason: RFC 5280 CRLReason code.</summary>
    public async Task RevokeCertificateAsync(AcmeAccount account, X509Certificate2 certificate, CancellationToken cancellationToken, int? reason = null)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(certificate);
        var revokeCert = Directory.RevokeCert ?? throw new AcmeException("this ACME server does not offer revocation (no revokeCert in its directory)");
        var payload = new Dictionary<string, object>(StringComparer.Ordinal) { ["certificate"] = Base64Url.EncodeToString(certificate.RawData) };
        if (reason is not null)
        {
            payload["reason"] = reason.Value;
        }

        await _transport.PostAsync(revokeCert, account.Key, account.Location, payload, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>How far outside the certificate's validity a suggested window may reach before it is implausible.</summary>
    private const int PlausibleWindowSlackDays = 365;

    /// <summary>
    /// Asks the CA when to renew <paramref name="certificate"/> (RFC 9773), or null when the directory has
    /// no renewalInfo. An unauthenticated GET of renewalInfo/certID.
    /// </summary>
    public async Task<RenewalInfo?> GetRenewalInfoAsync(X509Certificate2 certificate, CancellationToken cancellationToken)
    {
        if (Directory.RenewalInfo is not { } renewalInfo)
        {
            return null;
        }

        string certId;
        try
        {
            certId = AriCertificateId.For(certificate);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or InvalidOperationException or CryptographicException)
        {
            throw new AcmeException($"the certificate has no ARI identity ({e.Message})", e);
        }

        var uri = new Uri(renewalInfo.AbsoluteUri.TrimEnd('/') + "/" + certId);
        var response = await _transport.GetAsync(uri, cancellationToken).ConfigureAwait(false);

        // ARI is advice from the network: whatever it sends ends as an AcmeException the renewal loop
        // shrugs off (falling back to the lifetime rule), never as an exception that stops the server.
        RenewalInfo info;
        try
        {
            info = Read(response, "renewalInfo", AcmeJson.Default.RenewalInfo);
        }
        catch (Exception e) when (e is NotSupportedException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new AcmeException($"ACME server sent a renewalInfo that cannot be read: {e.Message}", e);
        }

        var window = info.SuggestedWindow;
        var earliest = new DateTimeOffset(certificate.NotBefore.ToUniversalTime()).AddDays(-PlausibleWindowSlackDays);
        var latest = new DateTimeOffset(certificate.NotAfter.ToUniversalTime()).AddDays(PlausibleWindowSlackDays);
        if (window is null || window.End < window.Start || window.Start < earliest || window.End > latest)
        {
            throw new AcmeException($"ACME server sent a renewalInfo without a plausible suggestedWindow for {certId}");
        }

        // Retry-After bounded: a second is a busy loop, a year is never; RFC 9773 §4.3 asks clients to poll at least daily.
        var retryAfter = response.RetryAfter is { } wait
            ? TimeSpan.FromTicks(Math.Clamp(wait.Ticks, TimeSpan.FromMinutes(1).Ticks, TimeSpan.FromDays(1).Ticks))
            : (TimeSpan?)null;
        return info with { RetryAfter = retryAfter };
    }

    public void Dispose() => _transport.Dispose();

    private Task<AcmeResponse> PostAsGetAsync(AcmeAccount account, Uri url, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return _transport.PostAsync(url, account.Key, account.Location, payload: null, cancellationToken);
    }

    private async Task<T> PollAsync<T>(
        AcmeAccount account,
        Uri url,
        Func<AcmeResponse, T> read,
        Func<T, bool> isDone,
        string what,
        CancellationToken cancellationToken)
    {
        var deadline = _time.GetUtcNow() + _options.PollTimeout;

        // Without a Retry-After, start with short waits and double them up to PollInterval: a validation
        // or signing usually takes milliseconds, and a fixed one-second wait would dominate issuance time.
        var fallback = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            var response = await PostAsGetAsync(account, url, cancellationToken).ConfigureAwait(false);
            var value = read(response);
            if (isDone(value))
            {
                return value;
            }

            var wait = RetryAfter.Bound(response.RetryAfter, fallback, _options.MaxRetryAfter);
            fallback = fallback * 2 < _options.PollInterval ? fallback * 2 : _options.PollInterval;
            if (_time.GetUtcNow() + wait > deadline)
            {
                throw new AcmeTimeoutException($"the ACME {what} at {url} was still not done after {_options.PollTimeout.TotalSeconds:0} s");
            }

            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static AcmeAccount ToAccount(AcmeResponse response, AccountKey key) => new()
    {
        Location = response.Location ?? throw new AcmeException("ACME server answered newAccount without a Location"),
        Key = key,
        Resource = Read(response, "account", AcmeJson.Default.AcmeAccountResource),
        Created = response.StatusCode == HttpStatusCode.Created,
    };

    private static T Read<T>(AcmeResponse response, string what, JsonTypeInfo<T> type)
    {
        try
        {
            return JsonSerializer.Deserialize(response.Body, type)
                ?? throw new AcmeException($"ACME server sent an empty {what}");
        }
        catch (JsonException e)
        {
            throw new AcmeException($"ACME server sent a {what} that is not valid JSON: {e.Message}", e);
        }
    }
}
