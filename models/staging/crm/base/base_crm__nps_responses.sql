{{ base_incremental_config('nps_responses') }}

{{ guarded_base(
    'nps_responses',
    rules=[
        rule_between('nps_score', 0, 10),
    ],
    references=[
        {'column': 'contact_id', 'to': ref('base_crm__contacts')},
    ]
) }}
