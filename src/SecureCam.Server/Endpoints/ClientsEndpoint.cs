using SecureCam.Pki;
using SecureCam.Server.Tls;

namespace SecureCam.Server.Endpoints;

/// <summary>GET /api/clients (admins only): every certificate the CA issued and where it stands, from index.json.</summary>
internal sealed class ClientsEndpoint(ServerPkiPaths paths, TimeProvider time)
{
    public IResult Handle()
    {
        PkiIndex index;
        try
        {
            index = PkiStore.Open(paths.Directory).ReadIndex();
        }
        catch (PkiException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        var now = time.GetUtcNow();
        var entries = index.Entries
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => new ClientEntryReport(
                e.Name,
                e.Kind.ToString().ToLowerInvariant(),
                e.Role?.ToString().ToLowerInvariant(),
                e.Serial,
                e.NotBefore,
                e.NotAfter,
                e.StatusAt(now).ToString().ToLowerInvariant(),
                e.RevokedAt))
            .ToList();
        return Results.Json(entries, StatusJson.Default.ListClientEntryReport);
    }
}
