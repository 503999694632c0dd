namespace Cutover.Dashboard.Traffic;

/// <summary>
/// Fixed-size time buckets in a ring: a call adds to the bucket of its moment, reusing the slot of a bucket that
/// has left the window. Recording is lock-free (interlocked counters) except for the one caller per bucket period
/// that finds its slot still holding an expired bucket and clears it under that bucket's lock. Memory is fixed:
/// <c>buckets × (2 + <see cref="LatencyBins.Count"/>)</c> counters.
/// </summary>
internal sealed class TrafficRing
{
    private readonly long _widthTicks;
    private readonly Bucket[] _buckets;

    /// <param name="width">One bucket's period.</param>
    /// <param name="window">The window read from it: a whole number of buckets, the current (partial) one included.</param>
    public TrafficRing(TimeSpan width, TimeSpan window)
    {
        _widthTicks = width.Ticks;
        Window = window;
        WindowBuckets = (int)(window.Ticks / width.Ticks);
        // One spare slot: the bucket being reopened is never one a reader of the window is still summing.
        _buckets = new Bucket[WindowBuckets + 1];
        for (var i = 0; i < _buckets.Length; i++) _buckets[i] = new Bucket();
    }

    public TimeSpan Window { get; }

    public int WindowBuckets { get; }

    public void Record(long nowTicks, bool failed, int bin)
    {
        var epoch = nowTicks / _widthTicks;
        var bucket = _buckets[epoch % _buckets.Length];
        var held = Volatile.Read(ref bucket.Epoch);
        if (held != epoch)
        {
            // Older than the slot's bucket (a caller that stalled for a whole ring): its bucket is gone, drop it.
            if (held > epoch || !bucket.Open(epoch)) return;
        }

        Interlocked.Increment(ref bucket.Requests);
        if (failed) Interlocked.Increment(ref bucket.Errors);
        Interlocked.Increment(ref bucket.Bins[bin]);
    }

    /// <summary>Adds the window ending at <paramref name="nowTicks"/> to the totals and bin counts given.</summary>
    public void Sum(long nowTicks, ref long requests, ref long errors, Span<long> bins)
    {
        var current = nowTicks / _widthTicks;
        foreach (var bucket in _buckets)
        {
            var epoch = Volatile.Read(ref bucket.Epoch);
            if (epoch > current || epoch <= current - WindowBuckets) continue;
            requests += Volatile.Read(ref bucket.Requests);
            errors += Volatile.Read(ref bucket.Errors);
            var counts = bucket.Bins;
            for (var i = 0; i < counts.Length; i++) bins[i] += Volatile.Read(ref counts[i]);
        }
    }

    /// <summary>
    /// The window ending at <paramref name="nowTicks"/> bucket by bucket, oldest first (the last is the current,
    /// partial one): <paramref name="requests"/> and <paramref name="errors"/> hold <see cref="WindowBuckets"/> each.
    /// </summary>
    public void Series(long nowTicks, Span<long> requests, Span<long> errors)
    {
        requests.Clear();
        errors.Clear();
        var current = nowTicks / _widthTicks;
        foreach (var bucket in _buckets)
        {
            var epoch = Volatile.Read(ref bucket.Epoch);
            if (epoch > current || epoch <= current - WindowBuckets) continue;
            var slot = WindowBuckets - 1 - (int)(current - epoch);
            requests[slot] = Volatile.Read(ref bucket.Requests);
            errors[slot] = Volatile.Read(ref bucket.Errors);
        }
    }

    private sealed class Bucket
    {
        public readonly int[] Bins = new int[LatencyBins.Count];
        public long Epoch = long.MinValue;
        public long Requests;
        public long Errors;

        /// <summary>Clears the bucket for <paramref name="epoch"/> unless another caller did; false if it moved past it.</summary>
        public bool Open(long epoch)
        {
            lock (this)
            {
                if (Epoch == epoch) return true;
                if (Epoch > epoch) return false;
                Requests = 0;
                Errors = 0;
                Array.Clear(Bins);
                // Release: the cleared counters are visible before the new epoch is.
                Volatile.Write(ref Epoch, epoch);
                return true;
            }
        }
    }
}
