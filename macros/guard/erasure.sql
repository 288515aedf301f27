{#- GDPR erasure (right to be forgotten). docs/DESIGN.md, "GDPR erasure".

    An optional `erasure_requests.csv` in the exports folder (columns email, contact_id, requested_at) lists people to
    forget. Its identifiers are hashed (SHA-256 of the normalised value) into the persistent register
    `raw.erasure_register`, which holds no personal data; the plain file is never landed. At every build the register
    is applied to the landed exports before anything reads them: every row of an erased person is blanked in place
    (every column null, `_erased` true, so the other rows keep their `rowid`, hence their `_row_number`) and the raw
    views leave it out; a row that also belongs to an account (sources' `meta.erasure.keep_for_account`: an order or
    a ticket with a company_id) is kept for the account with the person's identifiers blanked. What a file's rows are
    matched on is the sources' `meta.erasure` (segwarehouse/contract.py reads the same YAML for the loader). -#}

{#- The SHA-256 (lower-case hex) of a text expression: what the register keeps. -#}
{% macro sha256_hex(expression) -%}
    {{ return(adapter.dispatch('sha256_hex', 'segments')(expression)) }}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro postgres__sha256_hex(expression) -%}
    encode(sha256(convert_to({{ expression }}, 'UTF8')), 'hex')
{%- endmacro %}

{#- An identifier of kind `kind` normalised as staging holds it (and as segwarehouse.erasure.normalize does before
    hashing a request): an email without white space and lower-cased, any other id trimmed. -#}
{% macro erasure_normalized(kind, expression) -%}
    {%- if kind == 'email' -%}{{ normalize_email(expression) }}{%- else -%}{{ clean_text(expression) }}{%- endif -%}
{%- endmacro %}

{#- `column` holds the identifier of a subject of the register: a semi-join on the column's plain values, found by
    hashing its distinct values, not by hashing every row. -#}
{% macro erased_values_predicate(relation, column, kind) -%}
    {%- set register = var('raw_schema') ~ '.erasure_register' -%}
    {{ column }} in (
        select candidates.identifier_value
        from (
            select distinct {{ column }} as identifier_value from {{ relation }}
            where {{ column }} is not null
        ) as candidates
        where {{ sha256_hex(erasure_normalized(kind, 'candidates.identifier_value')) }} in (
            select subject_sha256 from {{ register }} where subject_kind = '{{ kind }}'
        )
    )
{%- endmacro %}

{#- Tables the erasure keeps in `raw` (DuckDB: the landing hook; PostgreSQL: segwarehouse.load creates the same). -#}
{% macro erasure_tables_ddl() -%}
    create table if not exists {{ var('raw_schema') }}.erasure_register (
        subject_kind varchar not null,
        subject_sha256 varchar not null,
        origin varchar not null,
        requested_at timestamp,
        first_applied_at timestamp,
        primary key (subject_kind, subject_sha256)
    );
    create table if not exists {{ var('raw_schema') }}.erasure_log (
        file_name varchar,
        rows_erased bigint,
        rows_anonymised bigint,
        applied_at timestamp
    );
    create table if not exists {{ var('raw_schema') }}.erasure_applied (
        relation_name varchar,
        column_name varchar,
        subjects_applied bigint,
        applied_at timestamp
    )
{%- endmacro %}

{#- Number of register entries of each kind. -#}
{% macro erasure_register_counts() -%}
    {%- set counts = {} -%}
    {%- for row in run_query("select subject_kind, count(*) from " ~ var('raw_schema')
        ~ ".erasure_register group by subject_kind") -%}
        {%- do counts.update({row[0]: row[1] | int}) -%}
    {%- endfor -%}
    {{ return(counts) }}
{%- endmacro %}

{#- DuckDB, called by the landing hook once every export is landed. `landings`: {file name: {mode (full, append,
    unchanged, absent), rows_before (rows of the copy landed by earlier builds)}}.

    1. Merge the requests file, when there is one, into the register (new identifiers only; the earliest date).
    2. For each file holding identifiers (sources' meta.erasure), in the order person records, orders, the others,
       order lines: look at every row when the file was landed in full or when an identifier kind it is matched on
       got new subjects in this build; only the appended rows otherwise; nothing for an unchanged file.
       - contacts (`same_person`): every identifier of a matching record joins the register (`same_person`), until
         no new one: a request by email reaches every record with that address (merged duplicates), a request by id
         reaches the record's address and so its duplicates.
       - orders (`register: order_id`): the order_id of an erased order joins the register, so its lines follow.
       - the matching rows are blanked (`_erased`), or kept for their account (`keep_for_account`) with the match
         columns blanked; counts go to `raw.erasure_log`.
    3. The base models delete the erased rows they had parsed (post-hook `delete_erased_rows`). A file whose rows
       already landed before this build were kept for their account (changed), or share their key with another row
       (which may stop or start being a duplicate_key), gets a new `epoch`, so that its base model parses it again
       in full (`based_watermark`). `raw.landed_exports.erased_rows` counts the blanked rows (rows read = staged +
       quarantined + erased, test `rows_reconcile`). -#}
{% macro apply_erasure_register(landings) -%}
    {%- set raw_schema = var('raw_schema') -%}
    {%- set register = raw_schema ~ '.erasure_register' -%}
    {%- set state = raw_schema ~ '.landed_exports' -%}
    {%- call statement('erasure_tables', auto_begin=true) -%}
        {{ erasure_tables_ddl() }}
    {%- endcall -%}
    {%- set initial = erasure_register_counts() -%}
    {%- set requests = raw_file_path('erasure_requests.csv') -%}
    {%- if run_query("select count(*) from glob('" ~ requests ~ "')").columns[0].values()[0] > 0 -%}
        {%- call statement('erasure_requests', auto_begin=true) -%}
            insert into {{ register }} (subject_kind, subject_sha256, origin, requested_at, first_applied_at)
            select
                subject_kind,
                subject_sha256,
                'request' as origin,
                requested_at,
                cast(null as timestamp) as first_applied_at
            from (
                select unnest(from_json(
                    seg_erasure_requests('{{ requests }}'),
                    '[{"subject_kind": "VARCHAR", "subject_sha256": "VARCHAR", "requested_at": "TIMESTAMP"}]'
                ), recursive := true)
            )
            on conflict (subject_kind, subject_sha256) do update
                set origin = 'request', requested_at = least(excluded.requested_at, erasure_register.requested_at)
        {%- endcall -%}
    {%- endif -%}
    {#- a dict updated in place: a `set` inside a loop would not outlive the iteration -#}
    {%- set counts = {} -%}
    {%- do counts.update(erasure_register_counts()) -%}
    {%- set columns = {} -%}
    {%- for row in run_query("select table_name, column_name from information_schema.columns where table_schema = '"
        ~ raw_schema ~ "' and table_name like '%\\_\\_landed' escape '\\' order by table_name, ordinal_position") -%}
        {%- if row[1] != '_erased' -%}
            {%- do columns.setdefault(row[0], []).append(row[1]) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set erased = {'rows': 0, 'kept': 0, 'files': []} -%}
    {%- if counts | length > 0 -%}
        {%- set files = [] -%}
        {%- for export in crm_contract_files() if export.erasure -%}
            {%- set rank = 0 if export.erasure.same_person else (1 if export.erasure.register
                else (3 if (export.erasure.match | reject('in', ['contact_id', 'email']) | list) else 2)) -%}
            {%- do files.append({'rank': rank, 'export': export}) -%}
        {%- endfor -%}
        {%- for item in files | sort(attribute='rank') -%}
            {%- set export = item.export -%}
            {%- set rule = export.erasure -%}
            {%- set landing = landings.get(export.file, {'mode': 'absent', 'rows_before': 0}) -%}
            {%- set copy = raw_schema ~ '.' ~ export.name ~ '__landed' -%}
            {%- set present = columns.get(export.name ~ '__landed', []) -%}
            {%- set match = rule.match | select('in', present) | list -%}
            {%- set grown = [] -%}
            {%- for kind in match if counts.get(kind, 0) > initial.get(kind, 0) -%}{%- do grown.append(kind) -%}{%- endfor -%}
            {%- set scan = 'none' -%}
            {%- if landing.mode == 'full' or (grown and landing.mode != 'absent') -%}
                {%- set scan = 'all' -%}
            {%- elif landing.mode == 'append' -%}
                {%- set scan = 'tail' -%}
            {%- endif -%}
            {%- if match and scan != 'none' -%}
                {%- set scope = 'rowid >= ' ~ landing.rows_before if scan == 'tail' else none -%}
                {#- the distinct identifiers of the rows looked at, hashed once (a temporary table: the same values
                    as the copy, for the duration of the hook), so that matching them to the register as it grows
                    is a join, not one more hash of every value -#}
                {%- call statement('erasure_hashes_' ~ export.name, auto_begin=true) -%}
                    create or replace temporary table erasure_hashes as
                    {%- for column in match %}
                    select
                        '{{ column }}' as column_name,
                        identifier_value,
                        {{ sha256_hex(erasure_normalized(column, 'identifier_value')) }} as subject_sha256
                    from (
                        select distinct {{ column }} as identifier_value from {{ copy }}
                        where {{ column }} is not null and _erased is not true{% if scope %} and {{ scope }}{% endif %}
                    ) as candidates
                    {{ "union all" if not loop.last }}
                    {%- endfor %}
                {%- endcall -%}
                {%- set matches = [] -%}
                {%- for column in match -%}
                    {%- do matches.append(column ~ " in (select hashes.identifier_value from erasure_hashes as hashes "
                        ~ "inner join " ~ register ~ " as register on hashes.subject_sha256 = register.subject_sha256 "
                        ~ "and register.subject_kind = '" ~ column ~ "' where hashes.column_name = '" ~ column ~ "')") -%}
                {%- endfor -%}
                {%- set where -%}
                    _erased is not true{% if scope %} and {{ scope }}{% endif %} and ({{ matches | join(' or ') }})
                {%- endset -%}
                {%- if rule.same_person -%}
                    {#- every identifier of a matching record is the person's: until no new one -#}
                    {%- for _ in range(5) -%}
                        {%- set before = erasure_register_counts() -%}
                        {%- call statement('erasure_same_person', auto_begin=true) -%}
                            insert into {{ register }} (subject_kind, subject_sha256, origin, requested_at, first_applied_at)
                            select distinct
                                identifier.subject_kind,
                                identifier.subject_sha256,
                                'same_person' as origin,
                                cast(null as timestamp) as requested_at,
                                cast(null as timestamp) as first_applied_at
                            from (
                                select unnest([
                                    {%- for column in match %}
                                    {'subject_kind': '{{ column }}', 'subject_sha256': {{ sha256_hex(erasure_normalized(column, column)) }}}{{ "," if not loop.last }}
                                    {%- endfor %}
                                ], recursive := true)
                                from {{ copy }}
                                where {{ where }}
                            ) as identifier
                            where identifier.subject_sha256 is not null
                            on conflict do nothing
                        {%- endcall -%}
                        {%- set after = erasure_register_counts() -%}
                        {%- if after == before -%}{%- break -%}{%- endif -%}
                    {%- endfor -%}
                    {%- do counts.update(erasure_register_counts()) -%}
                {%- endif -%}
                {%- set account = rule.keep_for_account if rule.keep_for_account in present else none -%}
                {%- set key = export.key | select('in', present) | list -%}
                {%- call statement('erasure_rows_' ~ export.name, auto_begin=true) -%}
                    create or replace temporary table erasure_rows as
                    select
                        rowid as row_id,
                        {{ clean_text(account) ~ ' is not null' if account else 'false' }} as keep_for_account,
                        {%- for column in key %}
                        {{ column }} as key_{{ loop.index }},
                        {%- endfor %}
                        {#- a key with surrounding spaces: its duplicates are not found by the exact match below #}
                        ({% for column in key %}{{ column }} is distinct from {{ clean_text(column) }}{{ " or " if not loop.last }}{% endfor %}
                        {%- if not key %}false{% endif %}) as key_is_padded
                    from {{ copy }}
                    where {{ where }}
                {%- endcall -%}
                {%- if rule.register and rule.register in present -%}
                    {%- call statement('erasure_register_' ~ export.name, auto_begin=true) -%}
                        insert into {{ register }} (subject_kind, subject_sha256, origin, requested_at, first_applied_at)
                        select distinct
                            '{{ rule.register }}' as subject_kind,
                            {{ sha256_hex(erasure_normalized(rule.register, rule.register)) }} as subject_sha256,
                            'person_{{ rule.register }}' as origin,
                            cast(null as timestamp) as requested_at,
                            cast(null as timestamp) as first_applied_at
                        from {{ copy }}
                        where rowid in (select row_id from erasure_rows where not keep_for_account)
                            and {{ erasure_normalized(rule.register, rule.register) }} is not null
                        on conflict do nothing
                    {%- endcall -%}
                    {%- do counts.update(erasure_register_counts()) -%}
                {%- endif -%}
                {#- the rows its base model parsed before only need deleting (post-hook `delete_erased_rows`),
                    unless they are kept for the account (changed) or share their key with another row (which may
                    stop or start being a duplicate_key): then the file is parsed again in full -#}
                {%- set shares_key -%}
                    {%- if key -%}
                    ({% for column in key %}key_{{ loop.index }}{{ ", " if not loop.last }}{% endfor %}) in (
                        select {{ key | join(', ') }} from {{ copy }}
                        where {{ key[0] }} in (select key_1 from erasure_rows)
                        group by {{ key | join(', ') }}
                        having count(*) > 1
                    )
                    {%- else -%}false{%- endif -%}
                {%- endset -%}
                {%- set found = run_query(
                    "select count(*) filter (where not keep_for_account), count(*) filter (where keep_for_account), "
                    ~ "count(*) filter (where row_id < " ~ landing.rows_before ~ " and (keep_for_account "
                    ~ "or key_is_padded or " ~ shares_key ~ ")) from erasure_rows").rows[0] -%}
                {%- if found[0] + found[1] > 0 -%}
                    {%- call statement('erasure_blank_' ~ export.name, auto_begin=true) -%}
                        update {{ copy }} set
                            {%- for column in present %}
                            {{ adapter.quote(column) }} = null,
                            {%- endfor %}
                            _erased = true
                        where rowid in (select row_id from erasure_rows where not keep_for_account);
                        {%- if account %}
                        update {{ copy }} set
                            {%- for column in match %}
                            {{ adapter.quote(column) }} = null{{ "," if not loop.last }}
                            {%- endfor %}
                        where rowid in (select row_id from erasure_rows where keep_for_account);
                        {%- endif %}
                        insert into {{ raw_schema }}.erasure_log
                        values ('{{ export.file }}', {{ found[0] }}, {{ found[1] }}, current_timestamp::timestamp);
                        {%- if found[2] > 0 and landing.mode != 'full' %}
                        -- rows its base model already parsed changed: parse the file again in full
                        update {{ state }} set epoch = 'erasure-{{ invocation_id }}'
                        where file_name = '{{ export.file }}';
                        {%- endif %}
                    {%- endcall -%}
                    {%- do erased.update({'rows': erased.rows + found[0], 'kept': erased.kept + found[1]}) -%}
                    {%- do erased.files.append(export.file ~ ': ' ~ found[0] ~ ' erased, ' ~ found[1] ~ ' kept') -%}
                {%- endif -%}
                {%- call statement('erasure_rows_drop', auto_begin=true) -%}
                    drop table erasure_rows;
                    drop table erasure_hashes
                {%- endcall -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- call statement('erasure_counts', auto_begin=true) -%}
        update {{ register }} set first_applied_at = current_timestamp::timestamp where first_applied_at is null;
        {%- for export in crm_contract_files() if landings.get(export.file, {'mode': 'absent'}).mode != 'absent' %}
        update {{ state }} set erased_rows = (
            select count(*) from {{ raw_schema }}.{{ export.name }}__landed where _erased
        ) where file_name = '{{ export.file }}';
        {%- endfor %}
    {%- endcall -%}
    {%- if counts | length > 0 -%}
        {{ log("GDPR erasure: " ~ (counts.values() | sum) ~ " identifiers in " ~ register ~ "; this build erased "
            ~ erased.rows ~ " rows and kept " ~ erased.kept ~ " for their account with contact_id blanked"
            ~ (" (" ~ erased.files | join('; ') ~ ")" if erased.files else ""), info=true) }}
    {%- endif -%}
{%- endmacro %}

{#- Post-hook of an incremental base model: delete the rows of the raw file that have been erased since they were
    parsed (on a full re-parse, delete+insert replaces only the rows still there). -#}
{% macro delete_erased_rows(table_name) -%}
    {{ return(adapter.dispatch('delete_erased_rows', 'segments')(table_name)) }}
{%- endmacro %}

{% macro duckdb__delete_erased_rows(table_name) -%}
    delete from {{ this }}
    where _row_number in (select rowid + 1 from {{ var('raw_schema') }}.{{ table_name }}__landed where _erased)
{%- endmacro %}

{#- PostgreSQL: the loader deletes erased rows from the raw tables (their `_row_number`s are gone), so the rows of
    the model without a raw row go. Only when the loader erased rows from the file. -#}
{% macro default__delete_erased_rows(table_name) -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set file = crm_source_node(table_name).meta.file -%}
    {%- set erased = run_query("select coalesce(max(erased_rows), 0) from " ~ var('raw_schema')
        ~ ".landed_exports where file_name = '" ~ file ~ "'").columns[0].values()[0] -%}
    {%- if erased | int == 0 -%}{{ return('select 1') }}{%- endif -%}
    delete from {{ this }} as based
    where not exists (
        select 1 from {{ source('crm', table_name) }} as raw_row where raw_row._row_number = based._row_number
    )
{%- endmacro %}

{#- Post-hook for any table that outlives the exports' rows it was built from (an incremental fact, a history or
    snapshot table): deletes the rows whose `column` holds an identifier of an erased subject (`subject_kind`,
    default the column's name: contact_id, email or order_id; the column must hold it normalised as staging does).
    It hashes the distinct values of the column, and only when the register has grown since it last ran on this
    relation (`raw.erasure_applied`): a relation skipped by a failed build catches up at the next one.

        {{ config(post_hook=["{{ erase_subjects('contact_id') }}", "{{ erase_subjects('email') }}"]) }} -#}
{% macro erase_subjects(column='contact_id', subject_kind=none) -%}
    {%- if not execute -%}{{ return('select 1') }}{%- endif -%}
    {%- set kind = subject_kind or column -%}
    {%- set raw_schema = var('raw_schema') -%}
    {%- set ready = run_query("select count(*) from information_schema.tables where table_schema = '" ~ raw_schema
        ~ "' and table_name in ('erasure_register', 'erasure_applied')").columns[0].values()[0] -%}
    {%- if ready | int < 2 -%}{{ return('select 1') }}{%- endif -%}
    {%- set name = this.schema ~ '.' ~ this.identifier -%}
    {%- set subjects = erasure_register_counts().get(kind, 0) -%}
    {%- set applied = run_query("select coalesce(max(subjects_applied), -1) from " ~ raw_schema
        ~ ".erasure_applied where relation_name = '" ~ name ~ "' and column_name = '" ~ column ~ "'"
        ).columns[0].values()[0] | int -%}
    {%- if subjects == 0 or applied >= subjects -%}{{ return('select 1') }}{%- endif -%}
    delete from {{ this }}
    where {{ erased_values_predicate(this, column, kind) }};
    delete from {{ raw_schema }}.erasure_applied where relation_name = '{{ name }}' and column_name = '{{ column }}';
    insert into {{ raw_schema }}.erasure_applied values ('{{ name }}', '{{ column }}', {{ subjects }}, current_timestamp)
{%- endmacro %}
