using Cutover.Benchmarks.Shared;

namespace Cutover.Benchmarks.Sources;

/// <summary>
/// The real Cutover app on a loopback port (<see cref="BenchmarkHost{TEntryPoint}"/>); any type of the app's
/// assembly names the entry point, since this benchmark's top-level statements have a <c>Program</c> of their own.
/// </summary>
internal sealed class SourcesHost : BenchmarkHost<Cutover.Dashboard.Sources.SourceOptions>;
