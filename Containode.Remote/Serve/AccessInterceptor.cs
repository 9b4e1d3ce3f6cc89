using Grpc.Core;
using Grpc.Core.Interceptors;
using Microsoft.Extensions.Logging;

namespace Containode.Remote.Serve;

/// <summary>
/// Every call passes here: its identity is the client certificate's common name (the handshake already checked the
/// chain), its method must be one the identity may call (else PermissionDenied, before anything is done), and its
/// outcome is logged in one line: who, which method, which job, and the status. Output and secrets are not logged.
/// </summary>
public sealed class AccessInterceptor(AccessPolicy policy, ILogger<AccessInterceptor> logger) : Interceptor
{
    private const string IdentityKey = "identity", JobKey = "job";

    public static string IdentityOf(ServerCallContext context) => (string)context.UserState[IdentityKey];

    /// <summary>Notes the job a call named, for its log line.</summary>
    public static void NoteJob(ServerCallContext context, string job) => context.UserState[JobKey] = Tls.PeerIdentity.IsValid(job) ? job : "?";

    public override async Task<TResponse> UnaryServerHandler<TRequest, TResponse>(TRequest request, ServerCallContext context, UnaryServerMethod<TRequest, TResponse> continuation)
    {
        var (identity, method) = Admit(context);
        try
        {
            var response = await continuation(request, context);
            Log(context, identity, method, response is Api.JobStatus s ? s.Id : null, "OK");
            return response;
        }
        catch (Exception e)
        {
            Log(context, identity, method, null, Outcome(e, identity, method));
            throw;
        }
    }

    public override async Task ServerStreamingServerHandler<TRequest, TResponse>(TRequest request, IServerStreamWriter<TResponse> responseStream, ServerCallContext context, ServerStreamingServerMethod<TRequest, TResponse> continuation)
    {
        var (identity, method) = Admit(context);
        try
        {
            await continuation(request, responseStream, context);
            Log(context, identity, method, null, "OK");
        }
        catch (Exception e)
        {
            Log(context, identity, method, null, Outcome(e, identity, method));
            throw;
        }
    }

    private (string Identity, string Method) Admit(ServerCallContext context)
    {
        var method = context.Method[(context.Method.LastIndexOf('/') + 1)..];
        var identity = Tls.PeerIdentity.Of(context.GetHttpContext().Connection.ClientCertificate);
        if (identity is null)
        {
            ServeLog.Request(logger, "-", method, "-", nameof(StatusCode.PermissionDenied));
            throw new RpcException(new Status(StatusCode.PermissionDenied, "the client certificate's common name is no identity this server accepts"));
        }
        if (!policy.MayCall(identity, method))
        {
            ServeLog.Request(logger, identity, method, "-", nameof(StatusCode.PermissionDenied));
            throw new RpcException(new Status(StatusCode.PermissionDenied, $"{identity} may not call {method}"));
        }
        context.UserState[IdentityKey] = identity;
        return (identity, method);
    }

    private void Log(ServerCallContext context, string identity, string method, string? job, string outcome) =>
        ServeLog.Request(logger, identity, method, job ?? (context.UserState.TryGetValue(JobKey, out var j) ? (string)j : "-"), outcome);

    private string Outcome(Exception e, string identity, string method)
    {
        if (e is RpcException rpc) return rpc.StatusCode.ToString();
        if (e is OperationCanceledException) return nameof(StatusCode.Cancelled);
        ServeLog.Failed(logger, identity, method, e.GetType().Name + ": " + e.Message);
        return nameof(StatusCode.Internal);
    }
}
