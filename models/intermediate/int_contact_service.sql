{{ config(materialized='table') }}

{#- Customer service and satisfaction of every person as of the reference date: tickets opened in the 12 months, tickets
    still open, average CSAT of the 12 months' tickets, and the latest NPS answer with its category. Tickets and
    answers after the reference date are ignored. -#}
with

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

ticket_totals as (

    {{ ticket_totals_by('contact_id') }}

),

last_answers as (

    {{ last_nps_answers() | indent(4) }}

),

final as (

    select
        -- ids
        contacts.contact_id,
        contacts.company_id,
        -- strings
        {{ nps_category('last_answers.nps_score') }} as nps_category,
        -- numerics
        coalesce(ticket_totals.tickets_12m, 0) as tickets_12m,
        coalesce(ticket_totals.open_tickets, 0) as open_tickets,
        ticket_totals.avg_csat,
        last_answers.nps_score as nps_score_last
    from contacts
    left join ticket_totals
        on contacts.contact_id = ticket_totals.contact_id
    left join last_answers
        on contacts.contact_id = last_answers.contact_id

)

select * from final
