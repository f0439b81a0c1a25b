using System.CommandLine;
using SecureCam.Server.Commands;

// `securecam VERB`: every verb lives in its own file under Commands/.
var root = new RootCommand("SecureCam: a camera server that only its owner's devices can see.")
{
    ServeCommand.Create(),
    DemoCommand.Create(),
    DoctorCommand.Create(),
    AcmeCommand.Create(),
    TelemetryCommand.Create(),
    CamerasCommand.Create(),
};

return await root.Parse(args).InvokeAsync().ConfigureAwait(false);
