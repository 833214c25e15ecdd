import Foundation
import MatchModel
import MatchSolver

/// The program as last loaded, with its instance (eligibility, tiers, rule checks), kept while none
/// of its files changed: a page of a 20,000-mentee proposal then answers without reading the roster
/// or encoding the program again. Each request compares the files'
/// modification times and sizes, so an edit made meanwhile (in a spreadsheet, by the CLI) shows.
final class ProgramCache: @unchecked Sendable {
    private let lock = NSLock()
    private var cached: (stamp: [String], instance: MatchInstance)?

    /// The program's instance (its `program` as loaded), made afresh only when a file it reads
    /// changed; nil when the program does not load.
    func instance(at path: String) -> MatchInstance? {
        lock.withLock {
            if let c = cached, c.stamp == Self.stamp(path, c.instance.program) { return c.instance }
            guard let loaded = try? ProgramLoader.load(path: path).program else {
                cached = nil
                return nil
            }
            let instance = MatchInstance(program: loaded)
            cached = (Self.stamp(path, loaded), instance)
            return instance
        }
    }

    /// Each file's path, modification time and size.
    private static func stamp(_ path: String, _ program: Program) -> [String] {
        let f = program.files
        let paths = [path] + [f?.roster, f?.preferences, f?.exclusions, f?.history, f?.org, f?.scores].compactMap { $0 }
        return paths.map { p in
            let a = try? FileManager.default.attributesOfItem(atPath: p)
            let date = (a?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
            return "\(p)|\(date)|\(a?[.size] as? Int ?? -1)"
        }
    }
}
