namespace SecureCam.Acme;

/// <summary>The CA could not validate control of an identifier: the challenge could not be answered.</summary>
public sealed class AcmeChallengeFailedException : AcmeException
{
    public AcmeChallengeFailedException(AcmeIdentifier identifier, string challengeType, AcmeProblem? problem)
        : base($"{challengeType} challenge for {identifier.Value} failed: {problem?.ToString() ?? "the authorization became invalid"}")
    {
        Identifier = identifier;
        ChallengeType = challengeType;
        Problem = problem;
    }

    public AcmeChallengeFailedException()
    {
        Identifier = new AcmeIdentifier("dns", "");
        ChallengeType = "";
    }

    public AcmeChallengeFailedException(string message)
        : base(message)
    {
        Identifier = new AcmeIdentifier("dns", "");
        ChallengeType = "";
    }

    public AcmeChallengeFailedException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Identifier = new AcmeIdentifier("dns", "");
        ChallengeType = "";
    }

    public AcmeIdentifier Identifier { get; }

    public string ChallengeType { get; }

    public AcmeProblem? Problem { get; }
}
