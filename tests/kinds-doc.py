#!/usr/bin/env python3
"""kinds-doc.py CHECK DUMP MANPAGE [STORE_COLUMNS | REFPARSE]: t1480's checks.

DUMP is the output of tests/kinds-dump (the record kinds' descriptors of
src/tracer/schema.c), MANPAGE is man/tracestat-db.5, STORE_COLUMNS a CSV of
"table,column,type" rows of a freshly created store (with a header),
REFPARSE tests/refparse.py.  CHECK is one of:

  man        every descriptor's table and columns are documented in the
             page, in their order, with their type and unit; every table
             and column the page documents under "Trace tables" and
             "Common columns" is a descriptor's
  store      every table and column the page documents exists in the store
             (trace columns with the documented type), every column of the
             store is documented, and every "table.column" the page names
             exists
  refparse   every column the reference parser names is its kind's
  grammar    (MANPAGE is tracestat-grammar(5)) every kind is in its
             "Kinds", with its table and the columns derived for it, the
             kinds it says are looked for inside a line are the mid-line
             kinds, and it lists no other kind
  units      every column's unit agrees with the end of its name

Prints what is wrong, one line each, and exits 1 if anything is.
"""
import ast
import csv
import re
import sys

UNIT_OF_SUFFIX = [('_us', 'us'), ('_ms', 'ms'), ('_mib', 'MiB'),
                  ('_kib', 'KiB'), ('_pct', '%'), ('_s', 's')]


def read_dump(path, more=None):
    """descriptor columns: {table: [(name, type, unit)]}, '*' = common;
    kinds: {kind: table or '-'}; more, if given, gets the flags of each
    kind and the columns derived for it."""
    tables, kinds = {'*': []}, {}
    with open(path) as f:
        for line in f:
            w = line.split()
            if w[0] == 'kind':
                kinds[w[1]] = w[2]
                if w[2] != '-':
                    tables.setdefault(w[2], [])
                if more is not None:
                    more.setdefault(w[1], {'flags': w[3], 'derived': []})
            elif w[0] == 'column' and w[1] != '-':
                tables.setdefault(w[1], []).append((w[2], w[3], w[4]))
            elif w[0] == 'derived' and more is not None:
                more[w[1]]['derived'].append(w[2])
    return tables, kinds


def man_sections(path):
    sections, name = {}, ''
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line.startswith('.Ss ') or line.startswith('.Sh '):
                name = line[4:]
                continue
            sections.setdefault(name, []).append(line)
    return sections


COLUMN_ITEM = re.compile(r'^\.It Va ([a-z0-9_]+)(?: Pq (\w+), (.+))?$')


def unit_word(roff):
    return roff.replace('\\(mc', 'u')


def man_columns(lines):
    """[(name, type, unit)] of the .It Va items of lines."""
    out = []
    for line in lines:
        m = COLUMN_ITEM.match(line)
        if m:
            out.append((m.group(1), m.group(2),
                        unit_word(m.group(3)) if m.group(3) else None))
    return out


def man_tables(lines):
    """{table: [lines of its item]} of the .It Sy items of lines."""
    tables, cur = {}, None
    for line in lines:
        m = re.match(r'^\.It Sy ([a-z_]+)$', line)
        if m:
            cur = m.group(1)
            tables[cur] = []
        elif cur is not None:
            tables[cur].append(line)
    return tables


def check_man(dump, page):
    problems = []
    tables, _ = read_dump(dump)
    sec = man_sections(page)
    common = man_columns(sec.get('Common columns', []))
    doc = {n: (t, u) for n, t, u in common}
    for name, typ, unit in tables['*']:
        if name not in doc:
            problems.append(f"common column '{name}' is not documented")
        elif doc[name] != (typ, unit):
            problems.append(f"common column '{name}': documented as "
                            f"{doc[name]}, is ({typ}, {unit})")
    documented = man_tables(sec.get('Trace tables', []))
    for table, cols in tables.items():
        if table == '*':
            continue
        if table not in documented:
            problems.append(f"table '{table}' is not documented")
            continue
        doc = man_columns(documented[table])
        if [c[0] for c in doc] != [c[0] for c in cols]:
            problems.append(f"table '{table}': documented columns "
                            f"{[c[0] for c in doc]}, has "
                            f"{[c[0] for c in cols]}")
        for d, c in zip(doc, cols):
            if d == c:
                continue
            if d[0] == c[0]:
                problems.append(f"'{table}.{c[0]}': documented as "
                                f"({d[1]}, {d[2]}), is ({c[1]}, {c[2]})")
    for table in documented:
        if table not in tables:
            problems.append(f"documented table '{table}' is no kind's")
    return problems


def read_store(path):
    cols = {}
    with open(path) as f:
        for row in list(csv.reader(f))[1:]:
            cols.setdefault(row[0], []).append((row[1], row[2]))
    return cols


def check_store(dump, page, store_csv):
    problems = []
    store = read_store(store_csv)
    sec = man_sections(page)
    common = man_columns(sec.get('Common columns', []))
    trace = man_tables(sec.get('Trace tables', []))
    other = man_tables(sec.get('Runs', []))
    documented = {}
    for table, lines in trace.items():
        documented[table] = [(n, t) for n, t, _ in
                             common + man_columns(lines)]
    for table, lines in other.items():
        # prose: every column a .Va of the table's item, type unsaid
        names = set()
        for line in lines:
            names.update(re.findall(r'\bVa ([a-z_]+)\b(?!\.)', line))
        documented[table] = [(n, None) for n in sorted(names)]
    # A trace table is a view over TABLE_rows, which holds the same
    # columns but rule_id and line for rule and raw (section Lines).
    for table in trace:
        doc = documented[table]
        documented[table + '_rows'] = [
            (n, t) for n, t in doc if n not in ('rule', 'raw')] + [
            ('rule_id', 'INTEGER'), ('line', 'TEXT')]
    for table, doc in documented.items():
        have = dict(store.get(table, []))
        if not have:
            problems.append(f"documented table '{table}' is not in a new "
                            f"store")
            continue
        for name, typ in doc:
            if name not in have:
                problems.append(f"documented column '{table}.{name}' is "
                                f"not in a new store")
            elif typ is not None and have[name] not in (typ, ''):
                # '' : a view's column computed by an expression
                problems.append(f"'{table}.{name}': documented {typ}, "
                                f"the store has {have[name]}")
        names = {d[0] for d in doc}
        for name in have:
            if name not in names:
                problems.append(f"store column '{table}.{name}' is not "
                                f"documented")
    # The tables of section Lines are prose: the table in bold, then its
    # columns, each a .Va of that section.
    lines_sec = '\n'.join(sec.get('Lines', []))
    lines_vars = set(re.findall(r'\bVa ([a-z_]+)\b(?!\.)', lines_sec))
    for table in store:
        if table in documented:
            continue
        if not re.search(r'\bSy ' + re.escape(table) + r'\b', lines_sec):
            problems.append(f"store table '{table}' is not documented")
            continue
        for name, _ in store[table]:
            if name not in lines_vars:
                problems.append(f"store column '{table}.{name}' is not "
                                f"documented")
    with open(page) as f:
        text = f.read()
    for table, name in re.findall(r'\bVa ([a-z_]+)\.([a-z_]+)', text):
        if name not in dict(store.get(table, [])):
            problems.append(f"the page names '{table}.{name}', which a "
                            f"new store does not have")
    return problems


def check_refparse(dump, page, refparse):
    problems = []
    tables, kinds = read_dump(dump)
    with open(refparse) as f:
        tree = ast.parse(f.read())
    columns = None
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == 'COLUMNS'
                for t in node.targets):
            columns = ast.literal_eval(node.value)
    if columns is None:
        return ['refparse.py has no COLUMNS']
    for key, names in columns.items():
        kind = key.replace('_', '-')
        table = kinds.get(kind)
        if table in (None, '-'):
            problems.append(f"refparse kind '{key}' is no stored kind")
            continue
        have = {c[0] for c in tables[table]}
        for name in names.split(','):
            # refparse numbers the samples; the store links them by id
            if name == 'sample' and 'sample_id' in have:
                continue
            if name not in have:
                problems.append(f"refparse '{key}' column '{name}' is not "
                                f"a column of '{table}'")
    return problems


def check_grammar(dump, page):
    problems = []
    more = {}
    read_dump(dump, more)
    lines = man_sections(page).get('Kinds', [])
    items, cur = {}, None
    for line in lines:
        m = re.match(r'^\.It Cm (.*)$', line)
        if m:
            cur = tuple(n for n in re.split(r'[ ,]+', m.group(1)) if n)
            items[cur] = []
        elif cur is not None:
            items[cur].append(line)
    by_kind = {}
    for names, text in items.items():
        for n in names:
            by_kind[n] = ' '.join(text)
    for kind, info in more.items():
        if kind not in by_kind:
            problems.append(f"kind '{kind}' is not in tracestat-grammar(5)")
            continue
        text = by_kind[kind]
        vas = set(re.findall(r'\bVa ([a-z_]+)', text))
        table = read_dump(dump)[1][kind]
        if table != '-' and table not in vas:
            problems.append(f"kind '{kind}': its table '{table}' is not "
                            f"named")
        for col in info['derived']:
            if col not in vas:
                problems.append(f"kind '{kind}': derived '{col}' is not "
                                f"said")
    for kind in by_kind:
        if kind not in more:
            problems.append(f"documented kind '{kind}' is no kind")
    with open(page) as f:
        text = ' '.join(f.read().split('\n'))
    m = re.search(r'And for the kinds (.*?) the signature is also searched',
                  text)
    said = set(re.findall(r'\bCm ([a-z-]+)', m.group(1))) if m else set()
    if m and 'the three pacer kinds' in m.group(1):
        said |= {'pacer-start', 'pacer-end', 'pacer-sweep'}
    flagged = {k for k, i in more.items() if i['flags'] == 'mid-line'}
    if said != flagged:
        problems.append(f"kinds looked for mid-line: the page says "
                        f"{sorted(said)}, the descriptors "
                        f"{sorted(flagged)}")
    return problems


def check_units(dump, page=None):
    problems = []
    tables, _ = read_dump(dump)
    for table, cols in tables.items():
        for name, typ, unit in cols:
            want = None
            for suffix, u in UNIT_OF_SUFFIX:
                if name.endswith(suffix):
                    want = u
                    break
            if want is not None and unit != want:
                problems.append(f"'{table}.{name}': unit {unit}, its name "
                                f"says {want}")
            if want is None and unit in dict(UNIT_OF_SUFFIX).values():
                problems.append(f"'{table}.{name}': unit {unit}, but its "
                                f"name does not end in it")
            if unit == 'bytes' and not (name.endswith('_b') or
                                        name.endswith('_bytes')):
                problems.append(f"'{table}.{name}': bytes not named _b")
            if (unit == 'ratio') != (typ == 'REAL' and unit != 's'):
                problems.append(f"'{table}.{name}': {typ} with unit {unit}")
            if (unit == 'text') != (typ == 'TEXT'):
                problems.append(f"'{table}.{name}': {typ} with unit {unit}")
    return problems


def main():
    check = sys.argv[1]
    args = sys.argv[2:]
    problems = {'man': check_man, 'store': check_store,
                'refparse': check_refparse, 'units': check_units,
                'grammar': check_grammar}[check](*args)
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
