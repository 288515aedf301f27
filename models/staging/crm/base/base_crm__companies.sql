{{ base_incremental_config('companies') }}

{{ guarded_base(
    'companies',
    expressions={
        'siren': "regexp_replace(" ~ clean_text('siren') ~ ", '[\\s.]', '', 'g')",
    },
    rules=[
        {'rule': 'malformed_siren', 'column': 'siren', 'when': "siren is not null and not " ~ regex_match('siren', '^\\d{9}$')},
        rule_not_negative('employee_count'),
        rule_not_negative('annual_revenue_eur'),
        rule_between('financial_score', 0, 100),
    ]
) }}
