import Foundation
import MatchModel
import Yams

/// A what-if scenario file: a base program and named variants, each a set of
/// overrides of program keys.
///
/// ```yaml
/// base: program.yaml            # relative to this file
/// variants:
///   - name: 9 h time-zone limit
///     set:
///       rules.max_timezone_gap_hours: 9
///   - name: no location reach
///     set: {equity.location_reach: null}
/// ```
public struct WhatIfFile: Sendable {
    public struct Variant: Sendable {
        public var name: String
        public var overrides: [ProgramOverride]
        public init(name: String, overrides: [ProgramOverride]) {
            self.name = name
            self.overrides = overrides
        }
    }

    public var basePath: String
    public var variants: [Variant]

    public init(path: String) throws {
        let text = try YAMLText.read(path: path, what: "what-if file")
        let root = try YAMLText.compose(text, file: path).get()
        var d = Diagnostics()
        func loc(_ n: Node) -> SourceLocation { SourceLocation(file: path, line: n.mark?.line ?? 0, column: n.mark?.column ?? 0) }
        guard let root, case .mapping(let top) = root else {
            throw InputError(SourceLocation(file: path, line: 1, column: 1), "a what-if file is a mapping with 'base' and 'variants'")
        }
        var base: String?
        var baseLocation = SourceLocation(file: path, line: 1, column: 1)
        var variants: [Variant] = []
        for (k, v) in top {
            switch k.string {
            case "base":
                base = v.string
                baseLocation = loc(v)
            case "variants":
                guard case .sequence(let items) = v else {
                    d.error(loc(v), "variants must be a list")
                    continue
                }
                for item in items {
                    guard case .mapping(let m) = item else {
                        d.error(loc(item), "each variant is a mapping with 'name' and 'set'")
                        continue
                    }
                    var name: String?
                    var overrides: [ProgramOverride] = []
                    for (vk, vv) in m {
                        switch vk.string {
                        case "name": name = vv.string
                        case "set":
                            guard case .mapping(let sets) = vv else {
                                d.error(loc(vv), "set must be a mapping of program keys to values")
                                continue
                            }
                            for (sk, sv) in sets {
                                guard let key = sk.string, !key.isEmpty else {
                                    d.error(loc(sk), "a key must be a dotted program key")
                                    continue
                                }
                                overrides.append(.from(dottedKey: key, value: sv, source: "\(path):\(sk.mark?.line ?? 0) (\(key))"))
                            }
                        default:
                            d.error(
                                loc(vk),
                                "unknown key '\(vk.string ?? "?")' in a variant" + DidYouMean.phrase(for: vk.string ?? "", in: ["name", "set"]))
                        }
                    }
                    guard let name, !name.isEmpty else {
                        d.error(loc(item), "each variant needs a name")
                        continue
                    }
                    if variants.contains(where: { $0.name == name }) {
                        d.error(loc(item), "variant '\(name)' is given twice")
                        continue
                    }
                    variants.append(Variant(name: name, overrides: overrides))
                }
            default:
                d.error(loc(k), "unknown key '\(k.string ?? "?")'" + DidYouMean.phrase(for: k.string ?? "", in: ["base", "variants"]))
            }
        }
        guard let base, !base.isEmpty else {
            d.error(SourceLocation(file: path, line: 1, column: 1), "the what-if file must name its base program, e.g. 'base: program.yaml'")
            throw InputError(d.items)
        }
        if d.hasErrors { throw InputError(d.items) }
        basePath = try ReferencedFile.resolve(base, from: path, what: "the base program", at: baseLocation).get()
        self.variants = variants
    }

    public init(basePath: String, variants: [Variant]) {
        self.basePath = basePath
        self.variants = variants
    }
}
