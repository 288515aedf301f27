{{ base_incremental_config('email_events') }}

{{ guarded_base(
    'email_events',
    expressions={
        'email': normalize_email('email'),
    },
    rules=[
        rule_email('email'),
        {'rule': 'no_customer', 'column': 'contact_id', 'when': 'contact_id is null and email is null'},
    ],
    references=[
        {'column': 'contact_id', 'to': ref('base_crm__contacts')},
    ]
) }}
