using System.Text;
using SecureCam.Bench.Http;

namespace SecureCam.Bench.Tests;

public class HttpResponseHeadTests
{
    [Fact]
    public void An_incomplete_head_needs_more_bytes()
    {
        Assert.False(HttpResponseHead.TryParse("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n"u8, out var head, out _));
        Assert.Null(head);
    }

    [Fact]
    public void Status_length_type_and_the_body_start_are_read()
    {
        var bytes = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\ncontent-type: image/jpeg\r\nContent-Length:  56554 \r\nServer: x\r\n\r\n\xFF\xD8");
        Assert.True(HttpResponseHead.TryParse(bytes, out var head, out var length));
        Assert.Equal(new HttpResponseHead(200, "image/jpeg", 56554, false), head);
        Assert.Equal(bytes.Length - 2, length);
    }

    [Fact]
    public void Chunked_wins_over_content_length_and_the_boundary_is_found()
    {
        var bytes = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\nContent-Type: multipart/x-mixed-replace; boundary=\"frame\"\r\n\r\n"u8;
        Assert.True(HttpResponseHead.TryParse(bytes, out var head, out _));
        Assert.True(head!.IsChunked);
        Assert.Null(head.ContentLength);
        Assert.Equal("frame", head.MultipartBoundary());
    }

    [Theory]
    [InlineData("multipart/x-mixed-replace;boundary=securecam", "securecam")]
    [InlineData("multipart/x-mixed-replace; charset=x; BOUNDARY=--abc", "--abc")]
    [InlineData("image/jpeg", null)]
    [InlineData("multipart/x-mixed-replace", null)]
    public void The_multipart_boundary_is_taken_from_the_content_type(string contentType, string? boundary)
    {
        Assert.Equal(boundary, new HttpResponseHead(200, contentType, null, false).MultipartBoundary());
    }

    [Theory]
    [InlineData("SSH-2.0-OpenSSH\r\n\r\n")]
    [InlineData("HTTP/1.1 abc OK\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("HTTP/1.1 200 OK\r\nbroken header\r\n\r\n")]
    public void What_is_not_an_http_response_is_an_error(string text)
    {
        Assert.Throws<InvalidDataException>(() => HttpResponseHead.TryParse(Encoding.ASCII.GetBytes(text), out _, out _));
    }
}
