namespace NotebookCnn;

/// <summary>
/// A host's request to stop the work now running. A notebook kernel gives each cell a cancellation token here and
/// cancels it when the student presses "interrupt"; <see cref="Trainer"/> checks it once per minibatch, so a
/// training run that would take minutes stops within one minibatch, and the model keeps the weights it had reached.
/// </summary>
/// <remarks>
/// Outside such a host the token is never cancelled and nothing changes. The kernel finds this class by name in
/// every loaded copy of the library (a notebook's <c>#r</c> may load its own), so its name and member are part of
/// that contract.
/// </remarks>
public static class StopSignal
{
    /// <summary>The token of the running cell, set by the host; <see cref="CancellationToken.None"/> by default.</summary>
    public static CancellationToken Current { get; set; }

    /// <summary>Throws <see cref="OperationCanceledException"/> if the host asked to stop.</summary>
    public static void ThrowIfStopRequested() => Current.ThrowIfCancellationRequested();
}
