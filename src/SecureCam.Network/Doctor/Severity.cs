namespace SecureCam.Network.Doctor;

/// <summary>How bad a finding is. Any <see cref="Problem"/> makes `doctor` exit with 1.</summary>
public enum Severity
{
    Ok,
    Warning,
    Problem,
}
