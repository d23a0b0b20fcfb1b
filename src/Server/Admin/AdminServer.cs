using System.Net;
using System.Text;
using AkkaHibernation.Transport.Http;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace AkkaHibernation.Server.Admin;

/// <summary>
/// The operator's HTTP endpoints on their own (loopback by default) prefix: <c>/healthz</c> (the process answers),
/// <c>/readyz</c> (the journal answers) and <c>/metrics</c> (the node's System.Diagnostics.Metrics instruments and
/// the runtime's, in Prometheus text format, written by prometheus-net).
/// </summary>
public sealed class AdminServer : IAsyncDisposable
{
    private const string TextContentType = "text/plain; charset=utf-8";

    private readonly AdminSettings _settings;
    private readonly Func<CancellationToken, Task<string?>> _notReadyReason;
    private readonly ILogger _log;
    private readonly HttpListener _listener = new();
    private volatile bool _stopping;
    private Task _loop = Task.CompletedTask;

    /// <summary>Creates the server; <paramref name="notReadyReason"/> returns null when ready, else why not.</summary>
    public AdminServer(AdminSettings settings, Func<CancellationToken, Task<string?>> notReadyReason, ILogger<AdminServer> log)
    {
        _settings = settings;
        _notReadyReason = notReadyReason;
        _log = log;
    }

    /// <summary>Starts listening.</summary>
    public void Start()
    {
        // prometheus-net connects to .NET meters on its first collection; histogram values recorded before that
        // would be missed, so collect once now.
        Metrics.DefaultRegistry.CollectAndExportAsTextAsync(Stream.Null).GetAwaiter().GetResult();
        foreach (var prefix in _settings.Prefixes)
            _listener.Prefixes.Add(prefix);
        _listener.Start();
        _loop = Task.Run(LoopAsync);
        _log.LogInformation("Admin endpoints /healthz /readyz /metrics on {Prefixes}", string.Join(", ", _settings.Prefixes));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_listener.IsListening)
            return;
        // Set before Stop: the pending accept can fail before HttpListener reports that it no longer listens.
        _stopping = true;
        _listener.Stop();
        await _loop;
        ListenerRelease.Close(_listener, _settings.Prefixes, _log);
    }

    private async Task LoopAsync()
    {
        while (!_stopping)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (_stopping)
            {
                return;
            }
            catch (HttpListenerException error)
            {
                _log.LogWarning(error, "Accepting an admin request failed");
                continue;
            }
            _ = Task.Run(() => HandleAsync(context));
        }
    }

    private async Task HandleAsync(HttpListenerContext context)
    {
        var response = context.Response;
        try
        {
            switch (context.Request.Url?.AbsolutePath)
            {
                case "/healthz":
                    await WriteTextAsync(response, 200, "ok\n");
                    break;
                case "/readyz":
                    using (var timeout = new CancellationTokenSource(_settings.ReadinessTimeout))
                    {
                        var reason = await _notReadyReason(timeout.Token);
                        await WriteTextAsync(response, reason is null ? 200 : 503, reason is null ? "ready\n" : $"not ready: {reason}\n");
                    }
                    break;
                case "/metrics":
                    response.StatusCode = 200;
                    response.ContentType = "text/plain; version=0.0.4; charset=utf-8";
                    await Metrics.DefaultRegistry.CollectAndExportAsTextAsync(response.OutputStream);
                    response.Close();
                    break;
                default:
                    await WriteTextAsync(response, 404, "Not found. Admin endpoints: /healthz /readyz /metrics\n");
                    break;
            }
        }
        catch (Exception error) when (error is HttpListenerException or IOException or ObjectDisposedException)
        {
            _log.LogDebug(error, "Admin request {Path} ended early", context.Request.Url?.AbsolutePath);
        }
    }

    private static async Task WriteTextAsync(HttpListenerResponse response, int status, string body)
    {
        response.StatusCode = status;
        response.ContentType = TextContentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        response.ContentLength64 = bytes.Length;
        await response.OutputStream.WriteAsync(bytes);
        response.Close();
    }
}
