using System.Reflection;

namespace NotebookCnn.Runner.Jupyter;

/// <summary>
/// Hands the running cell's cancellation token to <c>NotebookCnn.StopSignal</c>, which the library's trainer checks
/// once per minibatch. Set by reflection in every loaded assembly named NotebookCnn, and in each one loaded later: a
/// notebook's <c>#r</c> may load its own copy of the library, and that is the copy its training runs in.
/// </summary>
internal static class LibraryStopSignal
{
    private const string LibraryName = "NotebookCnn";
    private const string TypeName = "NotebookCnn.StopSignal";
    private static CancellationToken _current;
    private static int _installed;

    /// <summary>Starts watching assembly loads; call once before the first cell.</summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref _installed, 1) == 1) return;
        AppDomain.CurrentDomain.AssemblyLoad += (_, e) => SetIn(e.LoadedAssembly, _current);
    }

    /// <summary>Makes <paramref name="token"/> the one every copy of the library observes.</summary>
    public static void Set(CancellationToken token)
    {
        _current = token;
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies()) SetIn(assembly, token);
    }

    private static void SetIn(Assembly assembly, CancellationToken token)
    {
        if (assembly.GetName().Name != LibraryName) return;
        try
        {
            assembly.GetType(TypeName)?.GetProperty("Current", BindingFlags.Public | BindingFlags.Static)?.SetValue(null, token);
        }
        catch (Exception e) when (e is TargetInvocationException or ArgumentException or MemberAccessException)
        {
            // A copy of the library without this property (an older build) simply cannot be stopped between minibatches.
        }
    }
}
