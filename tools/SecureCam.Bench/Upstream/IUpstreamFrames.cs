namespace SecureCam.Bench.Upstream;

/// <summary>Where the upstream gets frames: the newest frame newer than the one a client was last sent.</summary>
internal interface IUpstreamFrames
{
    ValueTask<UpstreamFrame> NextAfterAsync(long lastSequence, CancellationToken cancellationToken);
}
