using SecureCam.PkiTool;

return await PkiCommandLine.Create().Parse(args).InvokeAsync().ConfigureAwait(false);
