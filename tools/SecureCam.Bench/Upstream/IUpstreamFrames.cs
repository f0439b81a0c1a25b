namespace SecureCam.Bench.Upstream;

/// <summary>Where the upstream gets frames: the newest frame newer than the one a client was last sent. Disposing stops the capture.</summary>
internal interface IUpstreamFrames : IAsyncDisposable
{
    ValueTask<UpstreamFrame> NextAfterAsync(long lastSequence, CancellationToken cancellationToken);
}
