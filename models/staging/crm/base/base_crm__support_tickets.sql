{{ base_incremental_config('support_tickets') }}

{{ guarded_base(
    'support_tickets',
    rules=[
        rule_between('satisfaction_score', 1, 5),
        {'rule': 'out_of_range', 'column': 'closed_at', 'when': 'closed_at < opened_at'},
    ],
    references=[
        {'column': 'contact_id', 'to': ref('base_crm__contacts')},
        {'column': 'company_id', 'to': ref('base_crm__companies')},
    ]
) }}
