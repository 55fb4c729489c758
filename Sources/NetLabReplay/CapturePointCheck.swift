import NetLabModel

extension ReplayPlan {
    /// Refuses a capture point the captured grouping's paths contradict (a pod's namespace when
    /// both ends share one, so the capture could only have seen loopback).
    public func checkCapturePoint(_ origin: CaptureOrigin, profile: CostProfile) throws(ReplayError) {
        let run = GroupingRun(topology: topology, grouping: origin.grouping, profile: profile, seed: topology.seed)
        for (flow, spec) in topology.flows.enumerated() {
            if let problem = run.captureProblem(flow: flow, at: origin.point) {
                throw ReplayError(
                    location: "--capture-point",
                    problem:
                        "\(origin.point.rawValue) for flow \(spec.name) in \(topology.groupings[origin.grouping].name): \(problem)",
                    fix:
                        "give the point where the capture was taken, or the grouping that matches where it was made (--captured-in)"
                )
            }
        }
    }
}
