using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;

namespace LlmCourse.Notebooks.Jupyter;

/// <summary>
/// The front end's side of the protocol, as much as the runner needs: requests on the shell and control
/// channels with their replies, and every iopub message handed to <see cref="IOPub"/>.
/// </summary>
public sealed class KernelClient : IDisposable
{
    public enum Channel { Shell, Control }

    readonly WireFormat _wire;
    readonly string _session = Guid.NewGuid().ToString("N");
    readonly DealerSocket _shell = new(), _control = new();
    readonly SubscriberSocket _iopub = new();
    readonly NetMQQueue<(NetMQSocket Socket, List<byte[]> Frames)> _outgoing = new();
    readonly NetMQPoller _poller;
    readonly ConcurrentDictionary<string, TaskCompletionSource<JupyterMessage>> _replies = new();

    /// <summary>Every iopub message, on the client's socket thread (keep handlers quick).</summary>
    public event Action<JupyterMessage>? IOPub;

    public KernelClient(ConnectionInfo connection)
    {
        _wire = new WireFormat(connection.Key);
        foreach (var socket in new NetMQSocket[] { _shell, _control, _iopub }) socket.Options.Linger = TimeSpan.Zero;
        _iopub.Options.ReceiveHighWatermark = 0;   // keep every output, however fast a cell prints
        _shell.Connect(connection.Address(connection.ShellPort));
        _control.Connect(connection.Address(connection.ControlPort));
        _iopub.Connect(connection.Address(connection.IOPubPort));
        _iopub.SubscribeToAnyTopic();

        _shell.ReceiveReady += (_, e) => OnReply(e.Socket);
        _control.ReceiveReady += (_, e) => OnReply(e.Socket);
        _iopub.ReceiveReady += (_, e) =>
        {
            if (_wire.Decode(e.Socket.ReceiveMultipartBytes(), out string? _) is { } message) IOPub?.Invoke(message);
        };
        _outgoing.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero)) item.Socket.SendMultipartBytes(item.Frames);
        };
        _poller = [_shell, _control, _iopub, _outgoing];
        _poller.RunAsync("jupyter-client", isBackgroundThread: true);
    }

    void OnReply(NetMQSocket socket)
    {
        var message = _wire.Decode(socket.ReceiveMultipartBytes(), out string? _);
        if (message?.ParentId is { } parent && _replies.TryRemove(parent, out var waiting)) waiting.TrySetResult(message);
    }

    /// <summary>A request, not yet sent: its id tells which iopub messages belong to it.</summary>
    public JupyterMessage NewRequest(string type, JsonObject content) => JupyterMessage.Create(type, content, _session);

    /// <summary>Sends a request; the task completes with its reply.</summary>
    public Task<JupyterMessage> Send(Channel channel, JupyterMessage request)
    {
        var reply = new TaskCompletionSource<JupyterMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _replies[request.Id] = reply;
        _outgoing.Enqueue((channel == Channel.Shell ? _shell : _control, _wire.Encode(request)));
        return reply.Task;
    }

    public Task<JupyterMessage> Send(Channel channel, string type, JsonObject content) => Send(channel, NewRequest(type, content));

    public void Dispose()
    {
        try { _poller.Stop(); } catch (InvalidOperationException) { }
        _poller.Dispose();
        foreach (var socket in new NetMQSocket[] { _shell, _control, _iopub }) socket.Dispose();
        _outgoing.Dispose();
        foreach (var waiting in _replies.Values) waiting.TrySetCanceled();
    }
}
