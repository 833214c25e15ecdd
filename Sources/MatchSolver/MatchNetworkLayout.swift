/// The node numbers of the match network, in one place: the source, the sink,
/// one node per mentee slot, one per mentor slot, then the department layer's
/// nodes (mentor–department pairs under a cap). The network engine, the pricer,
/// cycle repair and the tests all number nodes through this value.
public struct MatchNetworkLayout: Sendable, Equatable {
    public let mentees: Int
    public let mentors: Int

    public init(mentees: Int, mentors: Int) {
        self.mentees = mentees
        self.mentors = mentors
    }

    public init(_ instance: MatchInstance) { self.init(mentees: instance.mentees.count, mentors: instance.mentors.count) }

    public var source: Int { 0 }
    public var sink: Int { 1 }
    /// The node of mentee slot `es`.
    public func mentee(_ es: Int) -> Int { 2 + es }
    /// The node of mentor slot `ms`.
    public func mentor(_ ms: Int) -> Int { mentorBase + ms }
    /// The first mentor node (mentee nodes come just before it).
    public var mentorBase: Int { 2 + mentees }
    /// The first department-layer node.
    public var layerBase: Int { 2 + mentees + mentors }
    /// Department-layer node `node` (numbered from 0 in the layer).
    public func layer(_ node: Int) -> Int { layerBase + node }
    /// Nodes in all, with a department layer of `layerNodes` nodes.
    public func nodeCount(layerNodes: Int) -> Int { layerBase + layerNodes }
}
