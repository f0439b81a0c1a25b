namespace SecureCam.Bench.Http;

/// <summary>Receives the bytes of an HTTP body as they arrive, without owning or keeping the span.</summary>
internal interface IBodyConsumer
{
    void Consume(ReadOnlySpan<byte> data);
}
