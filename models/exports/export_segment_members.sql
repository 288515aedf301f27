{#- The generic export: every emailable member of every segment, with all the member columns of the `seg_` views,
    the segment name, when to send (`next_send_at`) and on what legal ground (`email_legal_basis`: a soft opt-in only
    allows offers similar to what the person bought). Every text field is spreadsheet-safe. Written by the
    post-hook as one CSV and one Parquet file per segment (meta.export in _exports__models.yml); the Brevo and
    Mailchimp exports are read from it. -#}
with

membership as (

    select * from {{ ref('segment_membership') }}

),

contacts as (

    select * from {{ ref('dim_contacts') }}

),

emailable_members as (

    select
        membership.segment_name,
        {%- for column in segment_member_column_names() %}
            contacts.{{ column }},
        {%- endfor %}
        contacts.next_send_at,
        contacts.email_legal_basis
    from membership
    inner join contacts
        on membership.contact_id = contacts.contact_id
    where {{ emailable_predicate('contacts') }}

),

final as (

    select
        {{ spreadsheet_safe('segment_name') | indent(8) }} as segment_name,
        {%- for column in segment_member_column_names() %}
            {{ spreadsheet_safe(column) | indent(12) }} as {{ column }},
        {%- endfor %}
        next_send_at,
        {{ spreadsheet_safe('email_legal_basis') | indent(8) }} as email_legal_basis
    from emailable_members

)

select * from final
