{{ base_incremental_config('contacts') }}

{{ guarded_base(
    'contacts',
    expressions={
        'email': normalize_email('email'),
    },
    rules=[
        rule_email('email'),
        rule_not_negative('household_income_eur'),
    ],
    references=[
        {'column': 'company_id', 'to': ref('base_crm__companies')},
    ]
) }}
