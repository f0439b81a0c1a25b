using System.CommandLine;
using SecureCam.Pki;

namespace SecureCam.PkiTool.Commands;

/// <summary>`issue-device NAME`: a camera's own identity for mutual DTLS.</summary>
internal static class IssueDeviceCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "the camera's name" };
        var days = new Option<int>("--days") { Description = "validity in days", DefaultValueFactory = _ => CertificateProfiles.DefaultLeafDays };
        var command = new Command("issue-device", "issue a camera's own identity (EKU clientAuth, for mutual DTLS)") { name, days };
        CommandAction.Set(command, (context, parse, cancellationToken) =>
        {
            var deviceName = parse.GetValue(name)!;
            context.CheckNewName(deviceName);
            using var ca = context.LoadCa();
            IssuedPrinter.Print(context.Out, ca.IssueDevice(deviceName, parse.GetValue(days), cancellationToken));
            return Task.FromResult(0);
        });
        return command;
    }
}
