import Foundation

/// What a proposal page shows of its pairs: a search over names and ids, the mentee's department
/// and location, the decision in force, a points range, the tier, the order, and the page.
struct PairFilter: Sendable, Equatable {
    enum Order: String, CaseIterable, Sendable {
        case pointsDown = "points-desc", pointsUp = "points-asc", mentee, mentor
    }
    var search: String?
    var department: String?
    var location: String?
    /// "accepted", "locked", "rejected", or "none".
    var decision: String?
    var minPoints: Int?
    var maxPoints: Int?
    /// A tier's name (programs with tiers).
    var tier: String?
    var order = Order.pointsDown
    var page = 1

    init() {}

    init(_ form: FormData) {
        search = form["q"]
        department = form["department"]
        location = form["location"]
        decision = form["decision"]
        minPoints = form["min"].flatMap { Int($0) }
        maxPoints = form["max"].flatMap { Int($0) }
        tier = form["tier"]
        order = form["sort"].flatMap(Order.init(rawValue:)) ?? .pointsDown
        page = max(1, form["page"].flatMap { Int($0) } ?? 1)
    }

    /// The query string for the same filter on another page.
    func query(page: Int) -> String {
        var parts: [String] = []
        func add(_ k: String, _ v: String?) { if let v { parts.append("\(k)=\(HTML.query(v))") } }
        add("q", search)
        add("department", department)
        add("location", location)
        add("decision", decision)
        add("min", minPoints.map(String.init))
        add("max", maxPoints.map(String.init))
        add("tier", tier)
        if order != .pointsDown { add("sort", order.rawValue) }
        if page > 1 { add("page", String(page)) }
        return parts.joined(separator: "&")
    }
}
