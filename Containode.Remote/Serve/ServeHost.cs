using System.Security.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Containode.Remote.Serve;

/// <summary>
/// containode serve: Kestrel speaking HTTP/2 over TLS 1.3 only, a client certificate required and checked in the
/// handshake against the one CA given (a connection without one, or with another CA's, never reaches a method),
/// and the Jobs service behind the access interceptor. SIGTERM stops the server; the jobs go on under their monitors.
/// </summary>
public static class ServeHost
{
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2000:Dispose objects before losing scope", Justification = "the node's certificate serves every handshake until the process ends")]
    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.Out.Write(ServeOptions.Usage);
            return 0;
        }
        var options = ServeOptions.Parse(args);
        var certificate = Tls.TlsFiles.Load(options.Certificate, options.Key);
        var clients = new Tls.TrustedChain(Tls.TrustedChain.LoadAuthority(options.Authority), Tls.TrustedChain.ClientAuth);

        // No configuration files are read, so none is watched: by default the host would watch its working folder
        // and every folder under it (with inotify) for appsettings.json, and a server started in / or in the state's
        // parent would follow each container's files.
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory, Args = ["--hostBuilder:reloadConfigOnChange=false"] });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(c => { c.SingleLine = true; c.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ "; c.UseUtcTimestamp = true; });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning);
        builder.Logging.AddFilter("Grpc", LogLevel.Warning);
        // What waits, encrypted, for a slow reader's socket: at most 64 KiB a connection, not the default 1 MiB, with
        // which 100 slow followers could hold 100 MB here (bench/remote.sh: followers' peak RSS, 126 and 146 MiB in two
        // runs so, 142 in one before; the kernel's socket buffers still keep a follower's stream full).
        builder.WebHost.UseSockets(sockets => sockets.MaxWriteBufferSize = 64 * 1024);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxConcurrentConnections = ServeLimits.MaxConnections;
            kestrel.Limits.MaxRequestBodySize = ServeLimits.MaxRequestBytes;
            kestrel.Limits.Http2.MaxStreamsPerConnection = ServeLimits.MaxStreamsPerConnection;
            // A reader may be slow: the output waits for it (flow control) and the stream caps bound what waits.
            kestrel.Limits.MinResponseDataRate = null;
            kestrel.Listen(options.Listen, listen =>
            {
                listen.Protocols = HttpProtocols.Http2;
                listen.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = certificate,
                    SslProtocols = SslProtocols.Tls13,
                    ClientCertificateMode = ClientCertificateMode.RequireCertificate,
                    CheckCertificateRevocation = false,
                    ClientCertificateValidation = (peer, _, _) => clients.Accepts(peer),
                    HandshakeTimeout = TimeSpan.FromSeconds(10),
                    OnAuthenticate = (_, ssl) => ssl.CertificateChainPolicy = clients.Policy(),
                });
            });
        });
        builder.Services.AddSingleton(options);
        builder.Services.AddSingleton(new AccessPolicy(options.Admins, options.Allowed));
        builder.Services.AddSingleton(new JobOwners(options.StateDir));
        builder.Services.AddSingleton(Runtime.Beside());
        builder.Services.AddSingleton<LogWatch>();
        builder.Services.AddSingleton<LogFeeds>();
        builder.Services.AddSingleton<ServeLimits>();
        builder.Services.AddSingleton<AccessInterceptor>();
        builder.Services.AddGrpc(grpc =>
        {
            grpc.MaxReceiveMessageSize = ServeLimits.MaxRequestBytes;
            grpc.EnableDetailedErrors = true;
            grpc.Interceptors.Add<AccessInterceptor>();
        });

        var app = builder.Build();
        app.MapGrpcService<JobService>();
        app.Start();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        ServeLog.Listening(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("containode.serve"), address);
        app.WaitForShutdown();
        return 0;
    }
}
