import Foundation

/// A roster time zone: an IANA name or a fixed offset such as `UTC+05:30`.
public enum TimeZoneSpec: Sendable, Hashable, CustomStringConvertible {
    case iana(String)
    case fixed(seconds: Int)

    /// Parses a roster cell; `nil` when it is neither a known IANA name nor a
    /// fixed offset between UTC-12 and UTC+14.
    public init?(parsing text: String) {
        let t = text.trimmedWhitespace
        if let seconds = TimeZoneSpec.fixedOffset(t) {
            self = .fixed(seconds: seconds)
            return
        }
        let upper = t.uppercased()
        if (upper.hasPrefix("UTC") || upper.hasPrefix("GMT")) && t.count > 3 { return nil }  // a malformed offset
        guard !t.isEmpty, !t.contains(" "), TimeZone(identifier: t) != nil else { return nil }
        self = .iana(t)
    }

    private static func fixedOffset(_ t: String) -> Int? {
        let upper = t.uppercased()
        guard upper.hasPrefix("UTC") || upper.hasPrefix("GMT") else { return nil }
        let rest = upper.dropFirst(3)
        if rest.isEmpty { return nil }
        guard let sign = rest.first, sign == "+" || sign == "-" || sign == "−" else { return nil }
        let body = rest.dropFirst()
        let parts = body.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2,
            let h = Int(parts[0]), parts[0].count <= 2, parts[0].allSatisfy(\.isNumber)
        else { return nil }
        var m = 0
        if parts.count == 2 {
            guard parts[1].count == 2, parts[1].allSatisfy(\.isNumber), let mm = Int(parts[1]), mm < 60 else { return nil }
            m = mm
        }
        let seconds = (h * 3600 + m * 60) * (sign == "+" ? 1 : -1)
        guard seconds >= -12 * 3600 && seconds <= 14 * 3600 else { return nil }
        return seconds
    }

    /// The UTC offset in hours at local noon on `date` (so DST is resolved for that day).
    public func offsetHours(on date: ProgramDate) -> Double {
        switch self {
        case .fixed(let seconds):
            return Double(seconds) / 3600
        case .iana(let name):
            guard let zone = TimeZone(identifier: name) else { return 0 }
            let utcNoon = date.utcNoon
            let first = zone.secondsFromGMT(for: utcNoon)
            let localNoon = utcNoon.addingTimeInterval(TimeInterval(-first))
            return Double(zone.secondsFromGMT(for: localNoon)) / 3600
        }
    }

    public var description: String {
        switch self {
        case .iana(let name): return name
        case .fixed(let seconds):
            let sign = seconds < 0 ? "-" : "+"
            let a = abs(seconds)
            return String(format: "UTC%@%02d:%02d", sign, a / 3600, (a % 3600) / 60)
        }
    }
}

/// A calendar date (`YYYY-MM-DD`), as in the program's `start`.
public struct ProgramDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public init?(year: Int, month: Int, day: Int) {
        var c = DateComponents()
        c.year = year
        c.month = month
        c.day = day
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        guard (1...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
            let d = cal.date(from: c), cal.component(.day, from: d) == day
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `YYYY-MM-DD`.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2])
        else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Today's date in UTC.
    public static var today: ProgramDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let c = cal.dateComponents([.year, .month, .day], from: Date())
        return ProgramDate(year: c.year!, month: c.month!, day: c.day!)!
    }

    var utcNoon: Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        return cal.date(from: DateComponents(year: year, month: month, day: day, hour: 12))!
    }

    /// The date `months` later (day clamped to the month's end).
    public func adding(months: Int) -> ProgramDate {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(identifier: "UTC")!
        let d = cal.date(byAdding: .month, value: months, to: utcNoon)!
        let c = cal.dateComponents([.year, .month, .day], from: d)
        return ProgramDate(year: c.year!, month: c.month!, day: c.day!) ?? self
    }

    public static func < (a: ProgramDate, b: ProgramDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }

    public var description: String { String(format: "%04d-%02d-%02d", year, month, day) }
}
