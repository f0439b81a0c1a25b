namespace SecureCam.TestSupport;

/// <summary>Where the repository and the test results folder are, found from the test assembly.</summary>
public static class RepositoryPaths
{
    /// <summary>The repository root (the folder holding SecureCam.sln).</summary>
    public static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "SecureCam.sln")))
            {
                dir = dir.Parent;
            }

            return dir?.FullName ?? throw new InvalidOperationException("SecureCam.sln not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>
    /// A folder for artefacts a person may want to look at after the run (screenshots, logs):
    /// $SECURECAM_TEST_RESULTS, else TestResults/artifacts under the repository root.
    /// </summary>
    public static string Artifacts
    {
        get
        {
            var dir = Environment.GetEnvironmentVariable("SECURECAM_TEST_RESULTS")
                ?? Path.Combine(Root, "TestResults", "artifacts");
            Directory.CreateDirectory(dir);
            return dir;
        }
    }
}
