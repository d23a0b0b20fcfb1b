using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AkkaHibernation.Tests.Support;

/// <summary>
/// A real nginx on a loopback port terminating TLS (a throwaway self-signed certificate) in front of a server, with the
/// WebSocket proxy configuration docs/OPERATIONS.md gives. It connects to the server from <see cref="UpstreamSource"/>,
/// a loopback address of its own, so the server can tell the proxy from the clients, which connect from 127.0.0.1.
/// </summary>
public sealed class NginxProxy : IDisposable
{
    /// <summary>The address nginx's connections to the server come from.</summary>
    public const string UpstreamSource = "127.0.0.3";

    private readonly string _folder;
    private readonly Process _process;

    private NginxProxy(string folder, Process process, int port, X509Certificate2 certificate)
    {
        _folder = folder;
        _process = process;
        Port = port;
        Certificate = certificate;
    }

    public int Port { get; }

    /// <summary>The certificate nginx presents; clients trust exactly this one.</summary>
    public X509Certificate2 Certificate { get; }

    public Uri WebSocket(string path) => new($"wss://127.0.0.1:{Port}{path}");

    /// <summary>Starts nginx in front of the server on <paramref name="upstreamPort"/> and waits until it accepts connections.</summary>
    public static async Task<NginxProxy> StartAsync(int upstreamPort)
    {
        var folder = Directory.CreateTempSubdirectory("akkahib-nginx-").FullName;
        // nginx's workers run as nobody when nginx is started as root: they must reach the temp paths in here.
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(folder, (UnixFileMode)0b111_101_101);
        var certificate = SelfSigned();
        await File.WriteAllTextAsync(Path.Combine(folder, "cert.pem"), certificate.ExportCertificatePem());
        await File.WriteAllTextAsync(Path.Combine(folder, "key.pem"), certificate.GetRSAPrivateKey()!.ExportPkcs8PrivateKeyPem());
        var port = TestNode.FreePort();
        await File.WriteAllTextAsync(Path.Combine(folder, "nginx.conf"), Configuration(folder, port, upstreamPort));

        var info = new ProcessStartInfo(ProxyFactAttribute.Nginx)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["-p", folder, "-c", Path.Combine(folder, "nginx.conf"), "-g", "daemon off;"])
            info.ArgumentList.Add(argument);
        var proxy = new NginxProxy(folder, Process.Start(info)!, port, certificate);
        await Eventually.TrueAsync(() => proxy._process.HasExited || Accepts(port), "nginx accepts connections", TimeSpan.FromSeconds(20));
        if (proxy._process.HasExited)
            throw new InvalidOperationException($"nginx exited: {await proxy._process.StandardError.ReadToEndAsync()}");
        return proxy;
    }

    /// <summary>The proxy configuration for WebSockets, as docs/OPERATIONS.md gives it, in a folder of its own.</summary>
    private static string Configuration(string folder, int port, int upstreamPort) => $$"""
        worker_processes 1;
        pid {{folder}}/nginx.pid;
        error_log {{folder}}/error.log info;
        events { worker_connections 256; }
        http {
          access_log off;
          client_body_temp_path {{folder}}/body;
          proxy_temp_path {{folder}}/proxy;
          fastcgi_temp_path {{folder}}/fastcgi;
          uwsgi_temp_path {{folder}}/uwsgi;
          scgi_temp_path {{folder}}/scgi;
          map $http_upgrade $connection_upgrade { default upgrade; '' close; }
          server {
            listen 127.0.0.1:{{port}} ssl;
            ssl_certificate {{folder}}/cert.pem;
            ssl_certificate_key {{folder}}/key.pem;
            location / {
              proxy_pass http://127.0.0.1:{{upstreamPort}};
              proxy_bind {{UpstreamSource}};
              proxy_http_version 1.1;
              proxy_set_header Upgrade $http_upgrade;
              proxy_set_header Connection $connection_upgrade;
              proxy_set_header Host $host;
              proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
              proxy_set_header X-Forwarded-Proto $scheme;
              proxy_read_timeout 1h;
              proxy_send_timeout 1h;
            }
          }
        }
        """;

    private static X509Certificate2 SelfSigned()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddHours(1));
    }

    private static bool Accepts(int port)
    {
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        if (!_process.HasExited)
            _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
        _process.Dispose();
        Certificate.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
