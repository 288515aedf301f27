{#- The predictions of every person (surviving contact) as of the reference date, for `dim_contacts`: a consumer's
    churn probability and risk (a customer; DuckDB only, null on other targets), their account's churn risk,
    potential and up-sell for a B2B contact, their RFM group a horizon before the training anchor (cutoff 1), and
    whether they are a champion slipping away: a champion now or at cutoff 1 (RFM as of that cutoff) who is no
    longer among the 40% most recent buyers of their audience (recency score 3 or less) or whose churn risk (a B2B
    contact: their account's) is medium or high. -#}
with

contacts as (

    select
        contact_id,
        company_id
    from {{ ref('int_contacts_deduplicated') }}
    where is_survivor

),

churn as (

    {{ current_churn_scores('consumer', 'contact_id') | indent(4) }}

),

companies as (

    select * from {{ ref('company_predictions') }}

),

rfm_now as (

    select
        contact_id,
        rfm_segment,
        recency_score
    from {{ ref('int_contact_rfm') }}

),

rfm_before as (

    select
        contact_id,
        rfm_segment
    from {{ ref('contact_features_as_of') }}
    where cutoff_index = 1

),

risks as (

    select
        contacts.contact_id,
        contacts.company_id,
        churn.churn_probability,
        {{ churn_risk('churn.churn_probability') }} as churn_risk,
        companies.churn_risk as company_churn_risk,
        companies.prospect_score as company_prospect_score,
        companies.potential_band as company_potential_band,
        companies.upsell_score as company_upsell_score,
        companies.missing_products as company_missing_products,
        coalesce(rfm_before.rfm_segment, 'no_purchase') as rfm_segment_horizon_ago,
        rfm_now.rfm_segment,
        rfm_now.recency_score
    from contacts
    left join churn
        on contacts.contact_id = churn.contact_id
    left join companies
        on contacts.company_id = companies.company_id
    left join rfm_now
        on contacts.contact_id = rfm_now.contact_id
    left join rfm_before
        on contacts.contact_id = rfm_before.contact_id

),

final as (

    select
        -- ids
        contact_id,
        -- strings
        churn_risk,
        company_churn_risk,
        company_potential_band,
        company_missing_products,
        rfm_segment_horizon_ago,
        -- numerics
        churn_probability,
        company_prospect_score,
        company_upsell_score,
        -- booleans
        'champions' in (rfm_segment, rfm_segment_horizon_ago)
        and (
            recency_score <= 3
            or coalesce(churn_risk, company_churn_risk, 'unknown') in ('medium', 'high')
        ) as is_slipping_champion
    from risks

)

select * from final
