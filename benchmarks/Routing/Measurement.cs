namespace Cutover.Benchmarks.Routing;

/// <summary>One bounded run: throughput and latency percentiles in milliseconds.</summary>
internal sealed record Measurement(int Concurrency, int Requests, int Failures, double RequestsPerSecond, double P50Ms, double P99Ms);
