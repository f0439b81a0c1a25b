using SecureCam.Network.Addresses;
using SecureCam.Network.Nat;

namespace SecureCam.Server.Acme;

/// <summary>
/// Whether the CA can reach this box, by the doctor's own verdict (<see cref="ExposureAssessor"/>) from
/// the box's addresses and the <c>Acme:WanIp</c> / <c>Acme:PublicIp</c> hints. <see cref="Warning"/> is
/// set when the verdict says inbound connections cannot arrive (CGNAT, double NAT / private WAN).
/// </summary>
internal sealed record AcmeReachability(string Verdict, bool Ready, string? Warning, string? Advice)
{
    public static AcmeReachability Assess(AcmeSettings settings, IReadOnlyList<InterfaceAddress> addresses)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var assessment = ExposureAssessor.Assess(settings.WanIp, settings.PublicIp, addresses, settings.CaPort);
        var nat = assessment.Nat;
        var domains = string.Join(", ", settings.Domains);
        if (nat.Verdict is NatVerdict.Cgnat or NatVerdict.DoubleNat)
        {
            var alternatives = string.Join(" ", assessment.Recommendations.Select(r => $"[{r.Id}] {r.Text}"));
            var warning =
                $"ACME is on for {domains}, but the CA cannot reach this box from the internet ({nat.VerdictName}): {nat.Reason}; " +
                $"{assessment.AcmeReason}, so {settings.Challenge} validations on port {settings.CaPort} will fail. " +
                $"Alternatives: {alternatives} " +
                "SecureCam tries anyway (the verdict rests on hints; a forward or an IPv6 DNS record may still get through), " +
                $"backing off to one attempt every {settings.RetryMaxDelay.TotalHours:0.#} h, and keeps serving the local CA's certificate meanwhile.";
            return new AcmeReachability(nat.VerdictName, false, warning, null);
        }

        if (nat.Verdict == NatVerdict.Unknown)
        {
            var advice =
                $"whether the CA can reach this box on port {settings.CaPort} is not known ({nat.Reason}); " +
                "set Acme:WanIp to the router's WAN address (and Acme:PublicIp) or run `securecam doctor --wan-ip A` to find out";
            return new AcmeReachability(nat.VerdictName, false, null, advice);
        }

        return new AcmeReachability(nat.VerdictName, true, null, assessment.AcmeReason);
    }
}
