import MatchModel
import ProgramGenerator

extension RosterGenerator {
    /// Writes the files into `directory` (created if needed); files already there
    /// are replaced only when `overwrite` is set, and none is written unless all may be.
    public func write(to directory: String, overwrite: Bool = false) throws {
        try OutputFile.writeAll(files().map { ($0.name, $0.contents) }, into: directory, policy: OutputPolicy(overwrite: overwrite))
    }
}
