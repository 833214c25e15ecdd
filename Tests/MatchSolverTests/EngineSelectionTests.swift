import Testing

@testable import MatchSolver

/// How many pairs a reduced model is tried on: the base limit, more with more time left, never
/// past the ceiling, and none when reduced models are off.
@Suite struct EngineSelectionTests {
    @Test func reducedModelPairsGrowWithTheTimeLeftUpToTheCeiling() {
        let selection = EngineSelection()
        #expect(selection.reducedModelPairs(secondsLeft: 5) == selection.reducedModelPairLimit)
        #expect(selection.reducedModelPairs(secondsLeft: -3) == selection.reducedModelPairLimit)
        let more = selection.reducedModelPairs(secondsLeft: 100)
        #expect(more == Int(100 * selection.reducedModelPairsPerSecond))
        #expect(more > selection.reducedModelPairLimit && more < selection.reducedModelPairCeiling)
        #expect(selection.reducedModelPairs(secondsLeft: 10_000) == selection.reducedModelPairCeiling)
        #expect(selection.reducedModelPairs(secondsLeft: nil) == selection.reducedModelPairCeiling)
    }

    @Test func noReducedModelWhenItsLimitIsZeroOrTimeDoesNotCount() {
        var off = EngineSelection()
        off.reducedModelPairLimit = 0
        #expect(off.reducedModelPairs(secondsLeft: 1_000) == 0)
        var fixed = EngineSelection()
        fixed.reducedModelPairsPerSecond = 0
        #expect(fixed.reducedModelPairs(secondsLeft: 1_000) == fixed.reducedModelPairLimit)
    }
}
