/**
 * The script's CSV reader for the spec's `data` section, as src/data/csv.ts and time.ts read a file: the standard
 * library's csv module, cells trimmed as JavaScript trims them, numbers as rnnc's decimal pattern accepts them, rows
 * ordered (stably) by the time column read as UTC, a repeated time refused. Every problem is a UserError with rnnc's
 * code, at its line and field; the first one found is reported (rnnc lists them all). Python source, written into
 * scripts whose spec has a CSV data section.
 */
export const pyCsv = String.raw`
# String.prototype.trim's whitespace: Python's str.strip() would also strip \x1c-\x1f and keep \ufeff
JS_WHITESPACE = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
DECIMAL = re.compile(r"[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)
FLOAT32_MAX = 3.4028234663852886e38
ISO_TIME = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?)?)?", re.ASCII)
YEAR_FIRST_TIME = re.compile(r"([0-9]{4})([/.-])([0-9]{1,2})\2([0-9]{1,2})(?:[T ]([0-9]{1,2}):([0-9]{2})(?::([0-9]{2})(?:\.([0-9]{1,9}))?)?(Z|[+-][0-9]{2}:?[0-9]{2})?)?", re.ASCII)
DAY_OR_MONTH_FIRST_TIME = re.compile(r"([0-9]{1,2})([/.-])([0-9]{1,2})\2([0-9]{4})((?:[T ][0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?)?)", re.ASCII)


def days_from_civil(year, month, day):
    """Days since 1970-01-01 in the proleptic Gregorian calendar (any year, as JavaScript's Date counts them)."""
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146097 + day_of_era - 719468


def time_from_groups(year, month, day, hour, minute, second, fraction, zone):
    """Milliseconds since the epoch, UTC unless an offset is written; (None, why) when the calendar says no."""
    n = lambda group, fallback: fallback if group is None else int(group)
    year, month, day, hour, minute, second = n(year, 0), n(month, 1), n(day, 1), n(hour, 0), n(minute, 0), n(second, 0)
    millis = 0 if not fraction else float("0." + fraction) * 1000
    offset = 0
    if zone is not None and zone not in ("Z", "z"):
        digits = zone.replace(":", "")
        if int(digits[3:5]) > 59:
            return None, "the offset from UTC has more than 59 minutes"
        offset = (-1 if digits.startswith("-") else 1) * (int(digits[1:3]) * 60 + int(digits[3:5]))
    if month < 1 or month > 12:
        return None, f"there is no month {month}"
    days = 29 if month == 2 and ((year % 4 == 0 and year % 100 != 0) or year % 400 == 0) else 28 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
    if day < 1 or day > days:
        return None, f"month {month} of {year} has {days} days"
    if hour > 23 or minute > 59 or second > 59:
        return None, "the time of day is out of range"
    if abs(offset) > 18 * 60:
        return None, "the offset from UTC is more than 18 hours"
    whole = days_from_civil(year, month, day) * 86400000 + hour * 3600000 + minute * 60000 + second * 1000
    return whole + millis - offset * 60000, None


def parse_time(text):
    """As src/data/time.ts without data.time_format: ISO 8601 or year-first; day- or month-first is ambiguous."""
    match = ISO_TIME.fullmatch(text)
    if match is not None:
        return time_from_groups(*match.groups())
    match = YEAR_FIRST_TIME.fullmatch(text)
    if match is not None:
        groups = match.groups()
        return time_from_groups(groups[0], *groups[2:])
    if DAY_OR_MONTH_FIRST_TIME.fullmatch(text) is not None:
        return None, "the day and the month could be either way round (data.time_format names the order)"
    if re.fullmatch(r"[+-]?[0-9]+(\.[0-9]*)?", text, re.ASCII) is not None:
        return None, "a bare number is not a date (leave out the time column if it is a row index)"
    return None, "the format is not recognised"


def csv_records(path, shown):
    """(line, cells) of every non-blank record of the file, the byte-order mark dropped."""
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as error:
        raise UserError(CODES["unreadable"], shown, f"cannot read {shown}: {error.strerror}", "data.csv is resolved against the spec's folder (an absolute path is taken as it is); --csv names another file") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UserError(CODES["not_utf8"], shown, f"{shown} is not UTF-8: the byte 0x{raw[error.start]:02x} at offset {error.start} does not belong to a UTF-8 character", "save the file as UTF-8") from None
    reader = csv.reader(io.StringIO(text[1:] if text.startswith("\ufeff") else text, newline=""), delimiter=DATA["delimiter"], strict=True)
    records, line = [], 1
    try:
        for cells in reader:
            if cells and not (len(cells) == 1 and cells[0].strip(JS_WHITESPACE) == ""):
                records.append((line, cells))
            line = reader.line_num + 1
    except csv.Error as error:
        raise UserError(CODES["csv_syntax"], shown, f"CSV syntax error: {error}", "a CSV file has a header line, then one record per line; check quotes and delimiters near here", reader.line_num) from None
    return records


def read_table(path, shown):
    """{"rows", "numeric": {name: [float]}, "categorical": {name: [str]}}: the columns the spec names, in time order."""
    records = csv_records(path, shown)
    if not records:
        raise UserError(CODES["too_few_rows"], shown, "the CSV file is empty", "a CSV file starts with a header line naming its columns")
    header_line, header = records[0][0], [name.strip(JS_WHITESPACE) for name in records[0][1]]
    rows = records[1:]
    time, target = DATA["time"], DATA["target"]
    numeric = list(DATA["features"]) + ([target] if DATA["task"] == "regression" and target not in DATA["features"] else [])
    categorical = [target] if DATA["task"] == "classification" else []
    fields = {}
    for name in ([time] if time is not None else []) + numeric + categorical:
        if name not in header:
            raise UserError(CODES["unknown_column"], shown, f"the CSV {shown} has no column '{name}'", f"columns: {', '.join(header[:20])}", header_line)
        fields[name] = header.index(name)
    if not rows:
        raise UserError(CODES["too_few_rows"], shown, "the CSV has a header but no data rows", "add one row per time step below the header", header_line)
    table = {"rows": len(rows), "numeric": {name: [] for name in numeric}, "categorical": {name: [] for name in categorical}, "time": []}
    for row, (line, cells) in enumerate(rows, 1):
        if any(cell.strip(JS_WHITESPACE) != "" for cell in cells[len(header):]):
            raise UserError(CODES["csv_syntax"], shown, f"row {row} has {len(cells)} fields, but the header names {len(header)}", "remove the extra fields, or quote a field that holds the delimiter", line, len(header) + 1)

        def cell(name):
            text = (cells[fields[name]] if fields[name] < len(cells) else "").strip(JS_WHITESPACE)
            if text == "":
                raise UserError(CODES["empty_cell"], shown, f"row {row}, column '{name}' is empty", "fill in the value, or remove the row", line, fields[name] + 1)
            return text

        if time is not None:
            text = cell(time)
            ms, why = parse_time(text)
            if ms is None:
                raise UserError(CODES["bad_time"], shown, f"row {row}, column '{time}': cannot read '{text}' as a time: {why}", "write times as ISO 8601 (2012-01-31, 2012-01-31T10:30:00Z) or year first", line, fields[time] + 1)
            table["time"].append(ms)
        for name in numeric:
            text = cell(name)
            value = float(text) if DECIMAL.fullmatch(text) is not None else math.nan
            if not math.isfinite(value) or abs(value) > FLOAT32_MAX:
                raise UserError(CODES["not_a_number"], shown, f"row {row}, column '{name}': '{text}' is not a finite float32 number", "write plain decimal numbers (1.5, -2e3)", line, fields[name] + 1)
            table["numeric"][name].append(value)
        for name in categorical:
            table["categorical"][name].append(cell(name))
    if time is not None:
        order = sorted(range(len(rows)), key=lambda i: table["time"][i])
        for before, after in zip(order, order[1:]):
            if table["time"][before] == table["time"][after]:
                first, second = sorted((before, after))
                raise UserError(CODES["duplicate_time"], shown, f"row {second + 1}, column '{time}': the time repeats row {first + 1}'s (line {rows[first][0]})", "remove or merge the duplicate row", rows[second][0], fields[time] + 1)
        for columns in (table["numeric"], table["categorical"]):
            for name in columns:
                columns[name] = [columns[name][i] for i in order]
    return table
`;
