namespace SecureCam.Bench.Mjpeg;

/// <summary>Told about each part the moment its last byte has arrived.</summary>
internal interface IMjpegPartObserver
{
    void OnPart(in MjpegPart part);
}
