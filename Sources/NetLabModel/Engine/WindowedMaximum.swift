/// The largest value seen within a sliding window, kept in constant space as Kathleen Nichols'
/// windowed min/max filter does (the one Linux's BBR uses for its bandwidth estimate): the best,
/// second-best and third-best samples of successive sub-windows, so that when the best one ages
/// out a good replacement is already at hand.
struct WindowedMaximum {
    struct Sample {
        var time: Int64
        var value: Double
    }

    var samples = (Sample(time: 0, value: 0), Sample(time: 0, value: 0), Sample(time: 0, value: 0))

    /// The largest value of the window.
    var best: Double { samples.0.value }

    /// Takes `value` at `time` (any unit that only grows) for a window of `window` such units.
    mutating func update(_ value: Double, at time: Int64, window: Int64) {
        let sample = Sample(time: time, value: value)
        if value >= samples.0.value || time - samples.2.time > window {
            samples = (sample, sample, sample)
            return
        }
        if value >= samples.1.value {
            samples.1 = sample
            samples.2 = sample
        } else if value >= samples.2.value {
            samples.2 = sample
        }
        let age = time - samples.0.time
        if age > window {
            // The best aged out: promote the others, and once more if the new best is also too old.
            samples = (samples.1, samples.2, sample)
            if time - samples.0.time > window { samples = (samples.1, samples.2, sample) }
        } else if samples.1.time == samples.0.time, age > window / 4 {
            // A quarter of the window passed with no second choice: take this one.
            samples.1 = sample
            samples.2 = sample
        } else if samples.2.time == samples.1.time, age > window / 2 {
            samples.2 = sample
        }
    }
}
